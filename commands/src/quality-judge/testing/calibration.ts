/**
 * The judge's calibration set (docs/quality.md): 40 outputs of a summarising task, each labelled `pass`
 * when every claim it makes is in its input and `fail` when it adds one that is not. Built from ten
 * incident records; each gives two grounded summaries and two with an invented claim of a different
 * kind (a number, a person, a cause, a commitment).
 */
export interface CalibrationCase {
  id: string;
  input: string;
  output: string;
  label: 'pass' | 'fail';
}

const records = [
  {
    system: 'payroll export',
    owner: 'Dana Reyes',
    impact: 'delayed salaries for two teams',
    fix: 'rolled back the release',
  },
  {
    system: 'support chatbot',
    owner: 'Omar Haddad',
    impact: 'wrong refund amounts quoted',
    fix: 'disabled the refund intent',
  },
  {
    system: 'fraud scoring model',
    owner: 'Lena Fischer',
    impact: 'blocked genuine card payments',
    fix: 'restored the previous threshold',
  },
  {
    system: 'CV screening tool',
    owner: 'Priya Nair',
    impact: 'rejected applicants without review',
    fix: 'required a recruiter approval',
  },
  {
    system: 'document classifier',
    owner: 'Tom Becker',
    impact: 'filed contracts under invoices',
    fix: 'retrained on corrected labels',
  },
  {
    system: 'search assistant',
    owner: 'Aiko Sato',
    impact: 'cited retired policies',
    fix: 'removed the retired policies from the index',
  },
  {
    system: 'pricing engine',
    owner: 'Marc Dubois',
    impact: 'showed stale discounts',
    fix: 'cleared the price cache',
  },
  {
    system: 'transcription service',
    owner: 'Sofia Rossi',
    impact: 'dropped the last minute of calls',
    fix: 'raised the upload limit',
  },
  {
    system: 'routing agent',
    owner: 'Jonas Berg',
    impact: 'sent tickets to the wrong queue',
    fix: 'fixed the queue mapping',
  },
  {
    system: 'translation model',
    owner: 'Elif Kaya',
    impact: 'mistranslated legal notices',
    fix: 'added a human review step',
  },
];

const inventions = [
  (r: (typeof records)[number]) => `The ${r.system} affected 4,812 customers.`,
  (_r: (typeof records)[number]) => `The regulator was notified by Chief Counsel Harold Vane.`,
  (r: (typeof records)[number]) => `The cause was an expired TLS certificate on the ${r.system}.`,
  (_: (typeof records)[number]) => `Every affected user will receive a 20% credit next month.`,
];

export const CALIBRATION_SET: CalibrationCase[] = records.flatMap((r, i) => {
  const input = `Incident record. System: the ${r.system}. Owner: ${r.owner}. Impact: the ${r.system} ${r.impact}. Remedy: the team ${r.fix}.`;
  const grounded = [
    `The ${r.system} ${r.impact}. The team ${r.fix}.`,
    `${r.owner} is the owner of the ${r.system}. The team ${r.fix}.`,
  ];
  const invented = [inventions[i % 4]!, inventions[(i + 1) % 4]!].map(
    (extra) => `The ${r.system} ${r.impact}. ${extra(r)}`,
  );
  return [
    ...grounded.map((output, k) => ({ id: `c${i}-g${k}`, input, output, label: 'pass' as const })),
    ...invented.map((output, k) => ({ id: `c${i}-i${k}`, input, output, label: 'fail' as const })),
  ];
});
