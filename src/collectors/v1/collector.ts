import type { JobSchedulerConfig } from '../../config/types';
import type { JocApiV1 } from '../../joc/v1/api';
import type { Collector } from '../types';

/** A collector of the JOC Cockpit 1.x flavour: it calls JocApiV1 for one JobScheduler ID. */
export type V1Collector<A> = Collector<JocApiV1, JobSchedulerConfig, A>;
