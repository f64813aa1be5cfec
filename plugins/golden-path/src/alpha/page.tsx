import { createRouteRef, PageBlueprint } from '@backstage/frontend-plugin-api';

/** Route of the Golden Path page (it gives the page its nav item). */
export const goldenPathRootRouteRef = createRouteRef();

/** A signpost: the nav icon of the Golden Path page. */
function GoldenPathIcon() {
  return (
    <svg
      width="1em"
      height="1em"
      viewBox="0 0 24 24"
      fill="currentColor"
      aria-hidden="true"
    >
      <path d="M11 2h2v3h6l3 3-3 3h-6v2h-2v-2H5V5h6V2zm0 13h2v7h-2v-7z" />
    </svg>
  );
}

/** The Golden Path page (`/golden-path`): a team's onboarding steps. */
export const goldenPathPage = PageBlueprint.make({
  params: {
    path: '/golden-path',
    routeRef: goldenPathRootRouteRef,
    title: 'Golden Path',
    icon: <GoldenPathIcon />,
    loader: () =>
      import('../components/GoldenPathPage').then(m => <m.GoldenPathPage />),
  },
});
