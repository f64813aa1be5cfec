import { createRouteRef, PageBlueprint } from '@backstage/frontend-plugin-api';

/** Route of the fleet view (it gives the page its nav item). */
export const goldenPathFleetRouteRef = createRouteRef();

/** A grid of boxes: the nav icon of the fleet view. */
function FleetIcon() {
  return (
    <svg
      width="1em"
      height="1em"
      viewBox="0 0 24 24"
      fill="currentColor"
      aria-hidden="true"
    >
      <path d="M3 3h8v8H3V3zm10 0h8v8h-8V3zM3 13h8v8H3v-8zm10 0h8v8h-8v-8z" />
    </svg>
  );
}

/** The fleet view (`/golden-path-fleet`): every golden-path Go service, one row each. */
export const goldenPathFleetPage = PageBlueprint.make({
  name: 'fleet',
  params: {
    path: '/golden-path-fleet',
    routeRef: goldenPathFleetRouteRef,
    title: 'Go fleet',
    icon: <FleetIcon />,
    loader: () => import('../components/FleetPage').then(m => <m.FleetPage />),
  },
});
