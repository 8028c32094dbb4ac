import { accessFact, type IntegrationAccessFact, type IntegrationCredentials } from '@proofpane/commands';
import { salesforceConnection, salesforceFailure } from './salesforce.js';
import type { IntegrationSettings } from './settings.js';

/** The Lead fields the intake reads: the skill's input, and the cursor's field. */
export const LEAD_FIELDS = [
  'Id',
  'Company',
  'Title',
  'LeadSource',
  'Country',
  'Description',
  'LastModifiedDate',
];
export const CURSOR = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?(Z|[+-]\d{2}:?\d{2})$/;
export const LEAD_CURSOR_START = '1970-01-01T00:00:00Z';

export interface Lead {
  Id: string;
  Company?: string | null;
  Title?: string | null;
  LeadSource?: string | null;
  Country?: string | null;
  Description?: string | null;
  LastModifiedDate: string;
}

/** What one pass needs from its caller: the governed skill call and where refreshed tokens go. */
export interface LeadIntakePorts {
  classify(input: {
    lead: Record<string, string>;
  }): Promise<{ qualification: string; useCaseSummary: string }>;
  refreshed(credentials: IntegrationCredentials): Promise<void>;
  audit(facts: IntegrationAccessFact[]): Promise<void>;
  /** Called after each lead is written back (or held), so a failed pass resumes after the last lead done. */
  advanced(cursor: string): Promise<void>;
  /** Present when the connection asks a person before each write. */
  approval?: LeadWriteApproval | undefined;
}

/** A classification held until a person approves writing it. */
export interface HeldLeadWrite {
  leadId: string;
  update: Record<string, string>;
}

/**
 * Writes that wait for a person. `settle` sorts the held writes by their requests' state, consuming each
 * approval it hands back so that no other pass writes the same lead; `hold` opens a request for one write.
 */
export interface LeadWriteApproval {
  settle(): Promise<{ approved: HeldLeadWrite[]; awaiting: string[]; declined: string[] }>;
  hold(write: HeldLeadWrite, fields: string[]): Promise<void>;
}

/**
 * A SOQL datetime is written bare; only a value shaped like one is ever put in the query, so a cursor
 * cannot carry SOQL of its own.
 */
export const soqlDateTime = (cursor: string) => (CURSOR.test(cursor) ? cursor : LEAD_CURSOR_START);

/**
 * One pass of `external.salesforce_lead_intake`: Leads modified after the cursor (oldest first), each
 * classified through the governed skill call (the policy gate and DLP see the lead before any model), the
 * classification written back to the connection's configured fields. Reads and writes are audited by field
 * names. A 401 refreshes the session once (refresh token, or the stored password) and retries.
 */
export async function salesforceLeadIntake(options: {
  settings: IntegrationSettings;
  connectionId: string;
  credentials: IntegrationCredentials;
  fields: { category: string; rationale?: string | undefined };
  cursor: string;
  limit: number;
  ports: LeadIntakePorts;
}): Promise<{ cursor: string; classified: number; awaiting: string[]; declined: string[] }> {
  const { settings, credentials, connectionId, ports } = options;
  const { conn, vendorError } = salesforceConnection({ settings, credentials, refreshed: ports.refreshed });
  const soql = `SELECT ${LEAD_FIELDS.join(', ')} FROM Lead WHERE LastModifiedDate > ${soqlDateTime(
    options.cursor,
  )} ORDER BY LastModifiedDate ASC LIMIT ${Math.min(Math.max(1, options.limit), 200)}`;
  let leads: Lead[];
  try {
    const res = await conn.query<Lead>(soql);
    if (!Array.isArray(res.records)) throw new Error('malformed');
    leads = res.records;
  } catch (error) {
    throw vendorError(error);
  }
  const fact = (
    direction: 'read' | 'write',
    operation: 'query' | 'update',
    fields: string[],
    count: number,
  ) =>
    accessFact({ connectionId, kind: 'salesforce', direction, objectType: 'Lead', operation, fields, count });
  await ports.audit([fact('read', 'query', LEAD_FIELDS, leads.length)]);
  let cursor = options.cursor;
  let classified = 0;
  const written = [options.fields.category, ...(options.fields.rationale ? [options.fields.rationale] : [])];
  const writeBack = async (update: Record<string, string>) => {
    try {
      const res = await conn.sobject('Lead').update(update as { Id: string });
      if (!res.success) throw Object.assign(new Error('update refused'), { name: 'update_refused' });
    } catch (error) {
      throw vendorError(error);
    }
    await ports.audit([
      fact(
        'write',
        'update',
        Object.keys(update).filter((k) => k !== 'Id'),
        1,
      ),
    ]);
    classified += 1;
  };
  const settled = ports.approval
    ? await ports.approval.settle()
    : { approved: [], awaiting: [], declined: [] };
  for (const held of settled.approved) await writeBack({ ...held.update, Id: held.leadId });
  const awaiting = [...settled.awaiting];
  for (const lead of leads) {
    if (
      typeof lead.Id !== 'string' ||
      !/^[A-Za-z0-9]{15,18}$/.test(lead.Id) ||
      !CURSOR.test(lead.LastModifiedDate)
    )
      throw salesforceFailure(Object.assign(new Error('malformed'), { name: 'malformed_record' }));
    const input: Record<string, string> = {
      company: lead.Company ?? '',
      message: lead.Description ?? '',
      ...(lead.Title ? { contactTitle: lead.Title } : {}),
      ...(lead.LeadSource ? { source: lead.LeadSource } : {}),
      ...(lead.Country ? { country: lead.Country } : {}),
    };
    const output = await ports.classify({ lead: input });
    const update: Record<string, string> = { Id: lead.Id, [options.fields.category]: output.qualification };
    if (options.fields.rationale) update[options.fields.rationale] = output.useCaseSummary.slice(0, 255);
    if (ports.approval) {
      const { Id, ...values } = update;
      await ports.approval.hold({ leadId: lead.Id, update: values }, written);
      awaiting.push(lead.Id);
    } else await writeBack(update);
    cursor = lead.LastModifiedDate;
    await ports.advanced(cursor);
  }
  return { cursor, classified, awaiting, declined: settled.declined };
}
