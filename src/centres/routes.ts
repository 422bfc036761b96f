import { Router } from 'express';
import type { AppDependencies, AppModule } from '../app.ts';

export function centresModule(_dependencies: AppDependencies): AppModule {
  return { router: Router() };
}
