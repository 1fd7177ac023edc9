export { reportsFeature, type ReportsServices } from './reports.feature';
export { Reports } from './reports.service';
export { PdfPrinter, findChromium, CHROMIUM_FLAGS } from './pdf-printer';
