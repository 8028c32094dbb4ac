import { inputSchema, str, strList, type WorkflowTemplate } from './template.js';

/** Due diligence and the DPA side by side, then a person approves with both verdicts in view. */
export const vendorOnboarding: WorkflowTemplate = {
  id: 'vendor-onboarding',
  name: 'AI vendor onboarding',
  description:
    "Reviews an AI vendor's questionnaire answers and its data processing agreement, then asks procurement to approve the vendor.",
  category: 'vendor',
  graph: {
    nodes: [
      {
        id: 'start',
        type: 'trigger',
        config: {
          kind: 'manual',
          inputSchema: inputSchema(
            {
              vendorName: str,
              product: str,
              questionnaireAnswers: str,
              certifications: strList,
              dpaText: str,
            },
            ['vendorName', 'product', 'questionnaireAnswers', 'dpaText'],
          ),
        },
      },
      {
        id: 'diligence',
        type: 'skill',
        config: {
          skill: 'vendor.due_diligence',
          input: {
            vendorName: '$.input.vendorName',
            product: '$.input.product',
            questionnaireAnswers: '$.input.questionnaireAnswers',
            certifications: '$.input.certifications',
          },
        },
      },
      {
        id: 'dpa',
        type: 'skill',
        config: {
          skill: 'vendor.dpa_review',
          input: { vendorName: '$.input.vendorName', dpaText: '$.input.dpaText' },
        },
      },
      {
        id: 'approval',
        type: 'hitl',
        config: {
          summary: {
            vendor: '$.input.vendorName',
            riskRating: '$.nodes.diligence.output.riskRating',
            recommendation: '$.nodes.diligence.output.recommendation',
            dpa: '$.nodes.dpa.output.overall',
            negotiationPoints: '$.nodes.dpa.output.negotiationPoints',
          },
          timeoutSeconds: 7 * 86_400,
          risk: 'medium',
        },
      },
    ],
    edges: [
      { from: 'start', to: 'diligence' },
      { from: 'start', to: 'dpa' },
      { from: 'diligence', to: 'approval' },
      { from: 'dpa', to: 'approval' },
    ],
  },
  sampleInput: {
    vendorName: 'Acme Transcribe',
    product: 'Meeting transcription API',
    questionnaireAnswers:
      'SOC 2 Type II report available. Customer audio is deleted after 30 days. Customer data is not used for training. Hosting in eu-west-1.',
    certifications: ['SOC 2 Type II'],
    dpaText:
      'The processor acts on documented instructions, keeps data confidential, applies the security measures of Annex II and notifies breaches within 48 hours.',
  },
};
