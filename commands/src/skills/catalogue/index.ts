import type { Skill, SkillCategory } from '../skill.js';
import { skillCategories } from '../skill.js';
import { controlTest } from './audit/control-test.js';
import { evidenceSummary } from './audit/evidence-summary.js';
import { findingsReport } from './audit/findings-report.js';
import { gmailTriage } from './external/gmail-triage.js';
import { salesforceLeadIntake } from './external/salesforce-lead-intake.js';
import { slackAlert } from './external/slack-alert.js';
import { classifyUseCase } from './intake/classify-use-case.js';
import { identifyDataCategories } from './intake/identify-data-categories.js';
import { summarizeUseCase } from './intake/summarize-use-case.js';
import { costReview } from './monitoring/cost-review.js';
import { driftReview } from './monitoring/drift-review.js';
import { incidentTriage } from './monitoring/incident-triage.js';
import { draftAcceptableUse } from './policy/draft-acceptable-use.js';
import { gapAnalysis } from './policy/gap-analysis.js';
import { mapControls } from './policy/map-controls.js';
import { euAiActTier } from './risk/eu-ai-act-tier.js';
import { impactAssessment } from './risk/impact-assessment.js';
import { registerRisks } from './risk/register-risks.js';
import { literacyModule } from './training/literacy-module.js';
import { quiz } from './training/quiz.js';
import { roleBriefing } from './training/role-briefing.js';
import { dpaReview } from './vendor/dpa-review.js';
import { dueDiligence } from './vendor/due-diligence.js';
import { modelCardReview } from './vendor/model-card-review.js';

/** Every governed skill, in catalogue order: category by category. */
export const SKILLS: readonly Skill[] = [
  classifyUseCase,
  summarizeUseCase,
  identifyDataCategories,
  euAiActTier,
  impactAssessment,
  registerRisks,
  dueDiligence,
  dpaReview,
  modelCardReview,
  draftAcceptableUse,
  gapAnalysis,
  mapControls,
  driftReview,
  incidentTriage,
  costReview,
  evidenceSummary,
  controlTest,
  findingsReport,
  literacyModule,
  quiz,
  roleBriefing,
  salesforceLeadIntake,
  gmailTriage,
  slackAlert,
];

const byId = new Map(SKILLS.map((s) => [s.id as string, s]));

export const getSkill = (id: string): Skill | undefined => byId.get(id);

export const listSkills = (): readonly Skill[] => SKILLS;

/** The catalogue grouped by category, in category order. */
export const skillsByCategory = (): { category: SkillCategory; skills: Skill[] }[] =>
  skillCategories.map((category) => ({ category, skills: SKILLS.filter((s) => s.category === category) }));
