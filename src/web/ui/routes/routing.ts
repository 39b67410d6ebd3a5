/**
 * The routing page (admins): per audience, its mode (automatic / planning), what a priority story
 * does there, its take and never rules — added, edited and deleted one at a time — and its monthly
 * character budget with what it spent this month. Every change goes through
 * review/audience-routing.ts; a refused change shows the page again with what was typed and the
 * reason in the person's words.
 */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AudienceConfig } from '../../../core/audience.ts';
import { routingModes } from '../../../core/routing.ts';
import { AppError, PersonError, statusOf } from '../../../errors.ts';
import type { AudienceRouting, RuleInput, RuleKind } from '../../../review/audience-routing.ts';
import { ruleOf } from '../../../review/audience-routing.ts';
import type { AudienceSettings } from '../../../store/audience-settings.ts';
import type { BudgetState } from '../../../translate/budgets.ts';
import { flash, requirePage } from '../context.ts';
import { messageOf } from '../messages.ts';
import { renderPage } from '../render.ts';

export interface RoutingPageDeps {
  desk: AudienceRouting;
  settings: AudienceSettings;
  audiences: readonly AudienceConfig[];
  /** The sources a rule may name, for the page's checkboxes. */
  sources(): Promise<{ id: string; name: string }[]>;
  budgets(): Promise<BudgetState[]>;
}

const kind = z.enum(['take', 'never']);
const version = (v: unknown) => (v === undefined || v === '' ? null : Number.isInteger(Number(v)) ? Number(v) : null);
const textOf = (v: unknown) => (typeof v === 'string' ? v : '');
const ruleInputOf = (body: Record<string, unknown>): RuleInput => ({
  name: textOf(body.name), sources: [body.sources ?? []].flat().filter((s): s is string => typeof s === 'string'),
  categories: textOf(body.categories), keywords: textOf(body.keywords), regions: textOf(body.regions),
});

/** What a refused form puts back on the page: which audience and form, the reason, what was typed. */
interface Refused { audience: string; form: string; message: string; draft?: RuleInput & { kind?: string } }

export function routingPageRouter(deps: RoutingPageDeps): Router {
  const router = Router();
  const admin = requirePage('admin');
  const audienceOf = (req: Request) => {
    const audience = deps.audiences.find((a) => a.id === String(req.params.audience));
    if (!audience) throw new AppError('not_found', `there is no audience "${String(req.params.audience)}"`);
    return audience;
  };

  async function page(res: Response, refused?: Refused, status = 200) {
    const [sources, budgets] = await Promise.all([deps.sources(), deps.budgets()]);
    const audiences = deps.audiences.map((a) => ({
      audience: a, routing: deps.settings.routingOf(a.id), budget: deps.settings.budgetOf(a.id),
      spent: budgets.find((b) => b.audienceId === a.id),
    }));
    renderPage(res, 'routing', { title: res.locals.t('routing:title'), audiences, sources, modes: routingModes, refused }, status);
  }

  // a change, then back to the audience's part of the page with a message; a refusal shows the page again
  const change = (form: (req: Request) => string, handler: (req: Request, res: Response, audience: AudienceConfig, actor: string) => Promise<string>) => async (req: Request, res: Response) => {
    const audience = audienceOf(req);
    try {
      flash(req, 'ok', await handler(req, res, audience, req.identity!.person!.actor));
      res.redirect(303, `/ui/routing#audience-${audience.id}`);
    } catch (err) {
      if (!(err instanceof AppError) || err.code === 'not_found') throw err;
      await page(res, { audience: audience.id, form: form(req), message: messageOf(res.locals.t, err), draft: { ...ruleInputOf(req.body ?? {}), kind: textOf(req.body?.kind) } }, statusOf(err.code));
    }
  };

  router.get('/routing', admin, async (_req, res) => page(res));

  router.post('/routing/:audience/mode', admin, change(() => 'mode', async (req, res, audience, actor) => {
    const mode = z.enum(routingModes).safeParse(req.body.mode);
    const priority = z.enum(['every', 'rules']).safeParse(req.body.priority);
    if (!mode.success || !priority.success) throw new PersonError('invalid_input', 'routing:errors.mode', {}, 'choose a mode and what priority stories do');
    await deps.desk.setMode(audience.id, version(req.body.version), mode.data, priority.data, actor);
    return res.locals.t('routing:done.mode', { audience: audience.id });
  }));

  router.post('/routing/:audience/rules', admin, change(() => 'add', async (req, res, audience, actor) => {
    const k = kind.safeParse(req.body.kind);
    if (!k.success) throw new PersonError('invalid_input', 'routing:errors.kind', {}, 'choose whether the rule takes or never takes');
    const rule = ruleOf(ruleInputOf(req.body), new Set((await deps.sources()).map((s) => s.id)));
    await deps.desk.addRule(audience.id, version(req.body.version), k.data, rule, actor);
    return res.locals.t(`routing:done.added.${k.data}`, { audience: audience.id });
  }));

  router.post('/routing/:audience/rules/:kind/:index', admin, change((req) => `${String(req.params.kind)}-${String(req.params.index)}`, async (req, res, audience, actor) => {
    const k = kind.safeParse(req.params.kind);
    if (!k.success) throw new AppError('not_found', 'no such kind of rule');
    const index = Number(req.params.index);
    const v = version(req.body.version);
    if (req.body.action === 'delete') {
      await deps.desk.deleteRule(audience.id, v, k.data as RuleKind, index, actor);
      return res.locals.t('routing:done.deleted', { audience: audience.id });
    }
    const rule = ruleOf(ruleInputOf(req.body), new Set((await deps.sources()).map((s) => s.id)));
    await deps.desk.replaceRule(audience.id, v, k.data, index, rule, actor);
    return res.locals.t('routing:done.saved', { audience: audience.id });
  }));

  router.post('/routing/:audience/reset', admin, change(() => 'reset', async (_req, res, audience, actor) => {
    await deps.desk.replace(audience.id, null, actor);
    return res.locals.t('routing:done.reset', { audience: audience.id });
  }));

  router.post('/routing/:audience/budget', admin, change(() => 'budget', async (req, res, audience, actor) => {
    const action = textOf(req.body.action);
    if (action === 'none' || action === 'configuration') {
      await deps.desk.setBudget(audience.id, action === 'none' ? null : 'configuration', actor);
      return res.locals.t(`routing:done.budget.${action}`, { audience: audience.id });
    }
    // digits only, spaces and separators people type in long numbers allowed ("500 000", "500.000", "500,000")
    const typed = textOf(req.body.monthlyCharacters).replace(/[\s.,_\u00a0\u202f]/g, '');
    if (!/^\d{1,15}$/.test(typed)) throw new PersonError('invalid_input', 'routing:errors.budget', {}, 'a budget is a whole number of characters, 0 or more');
    await deps.desk.setBudget(audience.id, Number(typed), actor);
    return res.locals.t('routing:done.budget.set', { audience: audience.id, budget: (res.locals.fmt as { number(n: number): string }).number(Number(typed)) });
  }));

  return router;
}
