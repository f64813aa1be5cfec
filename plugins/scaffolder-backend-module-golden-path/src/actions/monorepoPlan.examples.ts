import { stepExample } from '../lib/examples';

export const examples = [
  stepExample('Check the monorepo values first', 'golden-path:monorepo:plan', {
    projectName: '${{ parameters.projectName }}',
    pkgModule: '${{ parameters.pkgModule }}',
    goVersion: '${{ parameters.goVersion }}',
    stage: '${{ parameters.stage }}',
  }),
];
