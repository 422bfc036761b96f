import type { Request } from 'express';
import { todayInFrance } from '../rules/academic-year.ts';
import type { OfferContext, OfferUpload } from './service.ts';
import { localeDateTimeFormat } from '../i18n/formats.ts';
import { changeContext } from '../web/http.ts';

/** What the offer routes share: the context of a change, the uploaded file, dates as the pages show them. */
export const offerContext = (req: Request): OfferContext => ({ ...changeContext(req), today: todayInFrance() });

/** The file of a multipart form; an empty file field (nothing chosen) is no file. */
export function offerUpload(req: Request): OfferUpload | null {
  if (req.uploadProblem) return { problem: req.uploadProblem.code };
  const [file] = Array.isArray(req.files) ? req.files : [];
  if (!file || (file.originalname === '' && file.size === 0)) return null;
  return { bytes: file.buffer, name: file.originalname };
}

const dateTime = localeDateTimeFormat({ dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Paris' });
const day = localeDateTimeFormat({ dateStyle: 'long', timeZone: 'UTC' });
export const formatDateTime = (value: Date | string | null) => (value ? dateTime.format(new Date(value)) : '');
export const formatDay = (value: string | null) => (value ? day.format(new Date(`${value}T00:00:00Z`)) : '');
