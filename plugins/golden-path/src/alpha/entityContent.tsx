import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { isGoldenPathService } from '../filters';

/** The Architecture tab of Go services' entity pages. */
export const goldenPathArchitectureEntityContent = EntityContentBlueprint.make({
  name: 'architecture',
  params: {
    path: 'architecture',
    title: 'Architecture',
    filter: isGoldenPathService,
    loader: () =>
      import('../components/ArchitectureContent').then(m => (
        <m.ArchitectureContent />
      )),
  },
});
