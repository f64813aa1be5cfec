import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import goldenPathPlugin, {
  goldenPathApiDocsModule,
} from '@golden-path/plugin-golden-path/alpha';
import { navModule } from './modules/nav';

export default createApp({
  features: [
    catalogPlugin,
    goldenPathPlugin,
    goldenPathApiDocsModule,
    navModule,
  ],
});
