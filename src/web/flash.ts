import type { Request, RequestHandler } from 'express';

/** One-shot messages shown on the next page (after a redirect that follows a successful post). */
export function flash(req: Request, kind: 'success' | 'error' | 'info', message: string): void {
  req.session.flash = [...(req.session.flash ?? []), { kind, message }];
}

/** Messages are taken by the next page a person sees, not by a request a browser makes on its own. */
export const exposeFlash: RequestHandler = (req, res, next) => {
  const isPage = req.method === 'GET' && !/^(image|text\/css|application\/javascript)/.test(req.get('accept') ?? '');
  if (!isPage) {
    next();
    return;
  }
  res.locals.flash = req.session?.flash ?? [];
  if (req.session?.flash) delete req.session.flash;
  next();
};
