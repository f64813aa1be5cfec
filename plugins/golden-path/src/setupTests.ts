import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// A shared 2-core CI machine running the other test lane can take seconds to
// render a page the first time: waits (findBy*, waitFor) give up after 10 s
// instead of 1 s. A wait that never holds still fails, later. The time per
// test is scripts/test.sh's --testTimeout.
configure({ asyncUtilTimeout: 10_000 });
