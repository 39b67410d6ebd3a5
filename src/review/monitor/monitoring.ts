/**
 * Monitoring as the service runs it: the foreign item job, sending an item to it after ingestion,
 * and, at start, sending again every item whose hand-off a crash lost (an item committed, the
 * service gone before its job was queued). An item sent twice is translated once (the job checks).
 */
import type { Job, JobQueue } from '../../jobs/queue.ts';
import type { Logger } from '../../log.ts';
import type { Db } from '../../store/db.ts';
import type { ForeignItemRow } from '../../store/schema-monitoring.ts';
import { untranslatedItems } from '../../ingest/foreign.ts';
import type { ForeignTranslateDeps } from '../../translate/foreign.ts';
import { FOREIGN_ITEM, foreignItemJob } from './foreign-item.job.ts';
import { createWatchList } from './watch-terms.ts';

export interface MonitoringDeps extends ForeignTranslateDeps {
  db: Db;
  log: Logger;
}

export interface Monitoring {
  jobs: Job[];
  attach(queue: JobQueue): void;
  itemReady(item: Pick<ForeignItemRow, 'id'>): Promise<void>;
  /** Resends untranslated items; answers how many. */
  start(): Promise<number>;
}

export function createMonitoring(deps: MonitoringDeps): Monitoring {
  let queue: JobQueue | undefined;
  const send = async (itemId: number) => {
    if (!queue) throw new Error('the job queue is not started');
    await queue.send(FOREIGN_ITEM, { itemId });
  };
  return {
    jobs: [foreignItemJob({ ...deps, watch: createWatchList(deps.db) })],
    attach(q) { queue = q; },
    itemReady: (item) => send(item.id),
    async start() {
      const ids = await untranslatedItems(deps.db);
      for (const id of ids) await send(id);
      if (ids.length) deps.log.info({ items: ids.length }, `sent ${ids.length} foreign item(s) a crash or restart left untranslated`);
      return ids.length;
    },
  };
}
