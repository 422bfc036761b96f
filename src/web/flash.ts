import type { Request, RequestHandler } from 'express';

/** One-shot messages shown on the next page (after a redirect that follows a successful post). */
export function flash(req: Request, kind: 'success' | 'error' | 'info', message: string): void {
  req.session.flash = [...(req.session.flash ?? []), { kind, message }];
}

export const exposeFlash: RequestHandler = (req, res, next) => {
  res.locals.flash = req.session?.flash ?? [];
  if (req.session?.flash) delete req.session.flash;
  next();
};
