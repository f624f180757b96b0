/**
 * The signal page's answers (GET /api/signals, GET /api/signals/waiting, POST /api/signals), for the
 * server and the browser bundle. Types only.
 */

/** One step that catches a signal, as people read it: the diagram's and the step's names. */
export interface SignalCatchView {
  processName: string;
  stepName: string;
  /** start: starts a new process; boundary: interrupts or accompanies the step `attachedToName`; catch: the flow waits there. */
  kind: 'start' | 'boundary' | 'catch';
  attachedToName: string | null;
}

export interface SignalView {
  name: string;
  catches: SignalCatchView[];
}

export interface SignalsPage {
  signals: SignalView[];
  /** The office a supervisor broadcasts to (his own); null for the administrator, who chooses. */
  officeName: string | null;
  /** The offices the administrator may choose from; empty for a supervisor. */
  offices: { id: string; name: string }[];
}

export interface SignalWaiting {
  /** Cases of the office with a step waiting for the signal. */
  cases: number;
  /** Processes without a case (patrols, warnings …) waiting for it. */
  otherProcesses: number;
  /** Diagrams whose start event the signal starts. */
  starts: number;
}

export interface SignalBroadcastResult {
  signalKey: string;
  triggered: number;
  started: number;
}
