/** The latency the benchmark adds to every answer of the local servers. */
export const LATENCY_MS = 20;
