export * from './report.events';
export type { ReportCommand } from './report.commands';
export { reportDecider, type ReportStatus, type ReportsState } from './report.decider';
export { PUBLIC_MIN_RESPONDENTS, type ReportInput, type ReportTrendPoint, type ReportBenchmark } from './report-input';
export { renderReportHtml, chartSvg } from './render-report';
export { textsOf, type ReportTexts } from './report-texts';
