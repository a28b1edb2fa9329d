import type { ControllerConfig } from '../../config/types';
import type { JocApiJs7 } from '../../joc/js7/api';
import type { Collector } from '../types';

/** A collector of the JS7 flavour: it calls JocApiJs7 for one Controller ID. */
export type Js7Collector<A> = Collector<JocApiJs7, ControllerConfig, A>;
