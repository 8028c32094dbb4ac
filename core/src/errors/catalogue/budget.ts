import { errorSection } from '../entry.js';

/** The monthly cap's refusals (`commands/src/budget`, docs/gateway.md "The monthly cap is a hard limit"). */
export const budgetErrors = errorSection('gateway.md#errors', {
  budget_exceeded: { status: 429, title: 'The call does not fit under the monthly cap' },
  price_unknown: { status: 400, title: 'The model has no price' },
  provider_anomaly: { status: 403, title: 'A provider anomaly awaits acknowledgement' },
});
