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
  /** The service's queue, started once every job exists. */
  jobs: Pick<JobQueue, 'send'>;
}

export interface Monitoring {
  jobs: Job[];
  itemReady(item: Pick<ForeignItemRow, 'id'>): Promise<void>;
  /** Resends untranslated items; answers how many. */
  start(): Promise<number>;
}

export function createMonitoring(deps: MonitoringDeps): Monitoring {
  const send = async (itemId: number) => void await deps.jobs.send(FOREIGN_ITEM, { itemId });
  return {
    jobs: [foreignItemJob({ ...deps, watch: createWatchList(deps.db) })],
    itemReady: (item) => send(item.id),
    async start() {
      const ids = await untranslatedItems(deps.db);
      for (const id of ids) await send(id);
      if (ids.length) deps.log.info({ items: ids.length }, `sent ${ids.length} foreign item(s) a crash or restart left untranslated`);
      return ids.length;
    },
  };
}
