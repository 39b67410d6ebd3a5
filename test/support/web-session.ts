/**
 * A browser-like client for the desk's pages in tests: keeps cookies, follows nothing by itself,
 * reads the CSRF token from the page it last loaded.
 */
export interface PageAnswer { status: number; text: string; location: string | null; headers: Headers }

export class WebSession {
  private readonly cookies = new Map<string, string>();
  csrf = '';
  /** `headers` go with every request (e.g. x-forwarded-for, to act from another address). */
  constructor(readonly baseUrl: string, readonly headers: Record<string, string> = {}) {}

  private remember(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  cookieHeader() { return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '); }
  hasCookie(name: string) { return this.cookies.has(name); }

  async request(method: string, path: string, init: { form?: Record<string, string | string[]>; json?: unknown; headers?: Record<string, string> } = {}): Promise<PageAnswer> {
    const headers: Record<string, string> = { cookie: this.cookieHeader(), 'accept-language': 'en', ...this.headers, ...init.headers };
    let body: string | undefined;
    if (init.form) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(init.form)) for (const one of Array.isArray(v) ? v : [v]) params.append(k, one);
      body = params.toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else if (init.json !== undefined) {
      body = JSON.stringify(init.json);
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, body, redirect: 'manual' });
    this.remember(res);
    const text = await res.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(text) ?? /<meta name="csrf-token" content="([^"]+)"/.exec(text);
    if (token) this.csrf = token[1]!;
    return { status: res.status, text, location: res.headers.get('location'), headers: res.headers };
  }

  get(path: string) { return this.request('GET', path); }
  /** Posts a form with the current CSRF token (unless the form sets its own `_csrf`). */
  post(path: string, form: Record<string, string | string[]> = {}) { return this.request('POST', path, { form: { _csrf: this.csrf, ...form } }); }

  async login(username: string, password: string): Promise<PageAnswer> {
    await this.get('/ui/login');
    return this.post('/ui/login', { username, password });
  }
}
