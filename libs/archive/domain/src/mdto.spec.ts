import { assessmentInformatieobject, fileBestand, RETENTION_PATTERN, type AssessmentRecord, type FileRecord } from './mdto';

/** The names of an element's children, in order (the documents are written without whitespace between elements). */
function childrenOf(xml: string, parent: string): string[] {
  const start = xml.indexOf(`<${parent}>`) + parent.length + 2;
  const names: string[] = [];
  let depth = 0;
  for (const [, closing, name] of xml.slice(start).matchAll(/<(\/?)([A-Za-z]+)>/g)) {
    if (closing) {
      if (depth === 0) break;
      depth -= 1;
    } else {
      if (depth === 0) names.push(name);
      depth += 1;
    }
  }
  return names;
}

const record: AssessmentRecord = {
  assessmentId: '0f6d8a57-4a3c-4c59-9d6c-1f0a7e0b2c11',
  organisationId: '5b7a3c2e-1d4f-4e6a-8b9c-0d1e2f3a4b5c',
  organisationName: 'Gemeente Archiefstad & Co',
  scopeLabel: 'hele organisatie',
  period: '2026',
  model: { key: 'datagedreven-overheid', version: '2026.1' },
  openedAt: '2026-02-01T09:00:00.000Z',
  closedAt: '2026-03-01T17:00:00.000Z',
  retention: 'P20Y',
};
const file: FileRecord = { assessmentId: record.assessmentId, path: `streams/assessment-${record.assessmentId}.jsonl`, bytes: 1234, sha256: 'ab'.repeat(32), checksumDate: '2026-12-03T12:00:00.000Z' };

describe('MDTO records', () => {
  it("an informatieobject's elements come in the order MDTO 1.0 sets them, required ones present", () => {
    const xml = assessmentInformatieobject(record, [file]);
    expect(childrenOf(xml, 'informatieobject')).toEqual([
      'identificatie',
      'naam',
      'aggregatieniveau',
      'classificatie',
      'omschrijving',
      'dekkingInTijd',
      'taal',
      'event',
      'event',
      'waardering',
      'bewaartermijn',
      'heeftRepresentatie',
      'archiefvormer',
      'beperkingGebruik',
    ]);
    expect(xml).toContain('<naam>Datavolwassenheidsmeting hele organisatie, periode 2026');
    expect(xml).toContain('<verwijzingNaam>Gemeente Archiefstad &amp; Co</verwijzingNaam>');
  });

  it('a reference names the object and identifies it (verwijzingNaam, verwijzingIdentificatie)', () => {
    const xml = assessmentInformatieobject(record, [file]);
    for (const reference of ['heeftRepresentatie', 'archiefvormer']) expect(childrenOf(xml, reference)).toEqual(['verwijzingNaam', 'verwijzingIdentificatie']);
    expect(childrenOf(xml, 'verwijzingIdentificatie')).toEqual(['identificatieKenmerk', 'identificatieBron']);
    expect(childrenOf(fileBestand(file), 'isRepresentatieVan')).toEqual(['verwijzingNaam', 'verwijzingIdentificatie']);
  });

  it('a retention is an ISO 8601 duration as xsd:duration takes it', () => {
    for (const good of ['P20Y', 'P10Y', 'P6M', 'P1Y6M', 'P30D', 'PT12H', 'P1Y2M3DT4H5M6S']) expect(good).toMatch(RETENTION_PATTERN);
    for (const bad of ['P', 'PT', '20Y', 'P20', 'P2W', '-P20Y', 'P20Y ', 'twenty years']) expect(bad).not.toMatch(RETENTION_PATTERN);
  });

  it("a bestand's elements come in MDTO's order, with its size and SHA-256", () => {
    const xml = fileBestand(file);
    expect(childrenOf(xml, 'bestand')).toEqual(['identificatie', 'naam', 'omvang', 'bestandsformaat', 'checksum', 'isRepresentatieVan']);
    expect(childrenOf(xml, 'checksum')).toEqual(['checksumAlgoritme', 'checksumWaarde', 'checksumDatum']);
    expect(xml).toContain(`<checksumWaarde>${'ab'.repeat(32)}</checksumWaarde>`);
  });
});
