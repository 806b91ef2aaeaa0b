import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// The test command runs Jest with more workers than cores, and the backend
// suites beside these keep the cores busy: a render that takes 1 s here
// takes longer there. Wait on what the page shows for up to 5 s, and give a
// test 20 s, rather than fail on the machine's load.
configure({ asyncUtilTimeout: 5_000 });
jest.setTimeout(20_000);
