/**
 * Archival metadata after MDTO (Metagegevens voor duurzaam toegankelijke overheidsinformatie, the
 * Nationaal Archief's standard, version 1.0): one `informatieobject` per assessment (the dossier) and
 * one `bestand` per file that represents it, each an XML document of its own, as MDTO asks.
 */
export const MDTO_NAMESPACE = 'https://www.nationaalarchief.nl/mdto';
/** Default retention: twenty years (an assumption until the organisation's selection list says otherwise). */
export const DEFAULT_RETENTION = 'P20Y';

/** An ISO 8601 duration as MDTO's termijnLooptijd takes it (xsd:duration, without a sign): P20Y, P6M, P1Y6M, P30D. */
export const RETENTION_PATTERN = /^P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;

export interface AssessmentRecord {
  assessmentId: string;
  organisationId: string;
  organisationName: string | null;
  scopeLabel: string;
  period: string;
  model: { key: string; version: string };
  openedAt: string;
  closedAt: string | null;
  /** ISO 8601 duration of the retention (bewaartermijn). */
  retention: string;
}

export interface FileRecord {
  assessmentId: string;
  path: string;
  bytes: number;
  sha256: string;
  checksumDate: string;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function element(name: string, content: string | string[]): string {
  return `<${name}>${Array.isArray(content) ? content.join('') : escapeXml(content)}</${name}>`;
}

function term(name: string, label: string, code: string, list: string): string {
  return element(name, [element('begripLabel', label), element('begripCode', code), element('begripBegrippenlijst', [element('verwijzingNaam', list)])]);
}

function identification(kenmerk: string, bron: string, name = 'identificatie'): string {
  return element(name, [element('identificatieKenmerk', kenmerk), element('identificatieBron', bron)]);
}

/** A reference to another object (MDTO's verwijzingGegevens): its name, and its identification. */
function reference(name: string, referredName: string, kenmerk: string, bron: string): string {
  return element(name, [element('verwijzingNaam', referredName), identification(kenmerk, bron, 'verwijzingIdentificatie')]);
}

function document(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<MDTO xmlns="${MDTO_NAMESPACE}">${body}</MDTO>\n`;
}

/** The assessment as an MDTO informatieobject: identifier, name, classification, dates, retention, creator. */
export function assessmentInformatieobject(record: AssessmentRecord, files: readonly FileRecord[]): string {
  const date = (iso: string) => iso.slice(0, 10);
  const events = [
    element('event', [term('eventType', 'Aanmaak', 'aanmaak', 'MDTO eventtypen'), element('eventTijd', record.openedAt)]),
    ...(record.closedAt ? [element('event', [term('eventType', 'Afsluiting', 'afsluiting', 'MDTO eventtypen'), element('eventTijd', record.closedAt)])] : []),
  ];
  return document(
    element('informatieobject', [
      identification(record.assessmentId, 'Maatlat assessment-id'),
      element('naam', `Datavolwassenheidsmeting ${record.scopeLabel}, periode ${record.period} (${record.model.key} ${record.model.version})`),
      term('aggregatieniveau', 'Dossier', 'dossier', 'MDTO aggregatieniveaus'),
      term('classificatie', 'Meting datagedreven werken', 'maatlat-assessment', 'Maatlat classificatie'),
      element('omschrijving', `Alle gebeurtenissen van de meting (uitnodigingen, antwoorden, indieningen, afsluiting, scores en herberekeningen) als onveranderlijke, met een hashketen verbonden gebeurtenissen, met het model ${record.model.key} ${record.model.version}. De SHA-256 en omvang van elk bestand staan in manifest.json.`),
      element('dekkingInTijd', [
        term('dekkingInTijdType', 'Geldigheid', 'geldigheid', 'MDTO dekking in tijd'),
        element('dekkingInTijdBegindatum', date(record.openedAt)),
        ...(record.closedAt ? [element('dekkingInTijdEinddatum', date(record.closedAt))] : []),
      ]),
      element('taal', 'nl'),
      ...events,
      term('waardering', 'Tijdelijk te bewaren', 'V', 'Archiefwet 1995 waarderingen'),
      element('bewaartermijn', [
        element('termijnTriggerStartLooptijd', [element('begripLabel', 'Afsluiting van de meting'), element('begripBegrippenlijst', [element('verwijzingNaam', 'Maatlat')])]),
        ...(record.closedAt ? [element('termijnStartdatumLooptijd', date(record.closedAt))] : []),
        element('termijnLooptijd', record.retention),
      ]),
      ...files.map((f) => reference('heeftRepresentatie', f.path, f.path, 'Maatlat archiefexport')),
      reference('archiefvormer', record.organisationName ?? record.organisationId, record.organisationId, 'Maatlat organisatie-id'),
      element('beperkingGebruik', [term('beperkingGebruikType', 'Persoonsgegevens versleuteld', 'avg', 'Maatlat beperkingen')]),
    ]),
  );
}

/** A file of the export as an MDTO bestand: its size, format and SHA-256 checksum. */
export function fileBestand(file: FileRecord): string {
  return document(
    element('bestand', [
      identification(file.path, 'Maatlat archiefexport'),
      element('naam', file.path.split('/').pop()!),
      element('omvang', String(file.bytes)),
      term('bestandsformaat', 'JSON Lines', 'application/jsonl', 'IANA media types'),
      element('checksum', [
        term('checksumAlgoritme', 'SHA-256', 'sha256', 'MDTO checksumalgoritmen'),
        element('checksumWaarde', file.sha256),
        element('checksumDatum', file.checksumDate),
      ]),
      reference('isRepresentatieVan', `assessment ${file.assessmentId}`, file.assessmentId, 'Maatlat assessment-id'),
    ]),
  );
}
