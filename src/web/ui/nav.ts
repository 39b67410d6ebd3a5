/**
 * The desk's navigation, as data: sections of links, each link with the least role that sees it.
 * A new area adds one line to its section (planning and monitoring under "supervision", reports
 * there too); the layout draws only what the person may open and marks the page they are on.
 */
import type { Role } from '../../core/person.ts';

export interface NavItem {
  href: string;
  /** i18next key with its namespace, e.g. "ui:nav.queue". */
  label: string;
  role: Role;
  /** Other path prefixes that belong to this item (the editor belongs to the queue). */
  also?: readonly string[];
}

export interface NavSection { id: string; label: string; items: readonly NavItem[] }

const rank: Record<Role, number> = { translator: 1, editor: 2, admin: 3 };

export const deskNav: readonly NavSection[] = [
  { id: 'work', label: 'ui:nav.work', items: [
    { href: '/ui/queue', label: 'ui:nav.queue', role: 'translator', also: ['/ui/translations/'] },
    { href: '/ui/search', label: 'ui:nav.search', role: 'translator', also: ['/ui/stories/'] },
    { href: '/ui/work', label: 'work:nav', role: 'translator' },
    { href: '/ui/style-guides', label: 'style-guides:nav', role: 'translator' },
  ] },
  { id: 'newsroom', label: 'ui:nav.newsroom', items: [
    { href: '/ui/planning', label: 'planning:nav', role: 'editor' },
    { href: '/ui/stories/new', label: 'ui:nav.newStory', role: 'editor' },
    { href: '/ui/sources', label: 'ui:nav.sources', role: 'editor' },
    { href: '/ui/glossary', label: 'ui:nav.glossary', role: 'editor' },
    { href: '/ui/memory', label: 'ui:nav.memory', role: 'editor' },
    { href: '/ui/channels', label: 'social-desk:nav.channels', role: 'editor' },
  ] },
  { id: 'supervision', label: 'ui:nav.supervision', items: [
    { href: '/ui/dashboard', label: 'dashboard:nav', role: 'editor' },
    { href: '/ui/quality', label: 'work:quality.nav', role: 'editor' },
    { href: '/ui/monitoring', label: 'monitoring:nav', role: 'editor' },
    { href: '/ui/reports', label: 'reports:nav', role: 'editor' },
    { href: '/ui/false-claims', label: 'false-claims:nav', role: 'editor' },
    { href: '/ui/audit', label: 'ui:nav.audit', role: 'editor' },
  ] },
  { id: 'admin', label: 'ui:nav.admin', items: [
    { href: '/ui/people', label: 'ui:nav.people', role: 'admin' },
    { href: '/ui/tokens', label: 'ui:nav.tokens', role: 'admin' },
    { href: '/ui/partners', label: 'ui:nav.partners', role: 'admin' },
    { href: '/ui/units', label: 'units:nav', role: 'admin' },
    { href: '/ui/routing', label: 'routing:nav', role: 'admin' },
  ] },
];

export interface NavLink { href: string; label: string; current: boolean }

const belongs = (path: string, prefix: string) => path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`) || (prefix.endsWith('/') && path.startsWith(prefix));

/** The sections the role may see, with the link of the page at `path` marked current (the longest match wins). */
export function navFor(role: Role, path: string, sections: readonly NavSection[] = deskNav): { id: string; label: string; links: NavLink[] }[] {
  const visible = sections.map((s) => ({ ...s, items: s.items.filter((i) => rank[role] >= rank[i.role]) })).filter((s) => s.items.length);
  let best: NavItem | undefined;
  let bestLength = 0;
  for (const s of visible) for (const i of s.items) {
    for (const prefix of [i.href, ...(i.also ?? [])]) {
      if (belongs(path, prefix) && prefix.length > bestLength) { best = i; bestLength = prefix.length; }
    }
  }
  return visible.map((s) => ({ id: s.id, label: s.label, links: s.items.map((i) => ({ href: i.href, label: i.label, current: i === best })) }));
}
