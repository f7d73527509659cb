/** compare and report: the comparison table, its formats and gates, and the HTML report. */

export {
  type CompareInput,
  type CompareOptions,
  type Comparison,
  type ComparisonRow,
  compareImages,
  type Metric,
  type SavingStatus,
  type VerifyStatus,
} from "./compare.js";
export {
  type CompareDocument,
  comparisonDocument,
  formatComparisonMarkdown,
  formatComparisonTty,
} from "./compare-format.js";
export {
  type CompareProgressEvent,
  type CompareRunOptions,
  type CompareRunResult,
  type CompareVerifyOptions,
  compareRun,
  type NamedImage,
  parseNamedImage,
} from "./compare-run.js";
// Named apart from the image area's inspect gates (buildGates, Gate...).
export { type BuiltImage, imagesFromBuildOutput, imagesFromBuilds } from "./from-build.js";
export {
  buildGates as buildCompareGates,
  evaluateGates as evaluateCompareGates,
  type Gate as CompareGate,
  type GateFailure as CompareGateFailure,
  type GateOutcome as CompareGateOutcome,
  type GateSpec as CompareGateSpec,
} from "./gates.js";
export { type RenderOptions as ReportRenderOptions, renderReportHtml } from "./html/render.js";
export type {
  AnalysisSummary,
  CategorySummary,
  InspectFindingSummary,
  LayerSummary,
  LintFindingSummary,
  OwnerKindBytes,
  OwnerSummary,
  ProbeSummary,
  ReportData,
  VariantData,
  VerifySummary,
} from "./report-data.js";
export { REPORT_DATA_SCHEMA_ID } from "./report-data.js";
export { parseReportData, REPORT_DATA_JSON_SCHEMA } from "./report-data-schema.js";
export {
  type MeasuredImage,
  summarizeAnalysis,
  summarizeLint,
  summarizeVerify,
  variantData,
} from "./summarize.js";
