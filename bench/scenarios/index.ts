// Every scenario, in run order.
import { scenario1 } from './s1-fanout.ts';
import { scenario2 } from './s2-many-docs.ts';
import { scenario3 } from './s3-rate-steps.ts';
import { scenario4 } from './s4-idle-memory.ts';
import { scenario5 } from './s5-long-history.ts';
import { scenario6 } from './s6-rest-page.ts';
import { scenario7 } from './s7-browser-board.ts';
import type { Scenario } from './types.ts';

export const scenarios: Scenario[] = [scenario1, scenario2, scenario3, scenario4, scenario5, scenario6, scenario7];
