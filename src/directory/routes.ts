import { Router } from 'express';
import type { AppDependencies, AppModule } from '../app.ts';

export function directoryModule(_dependencies: AppDependencies): AppModule {
  return { router: Router() };
}
