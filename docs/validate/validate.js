// Validates the API documents with the specifications' own parsers, so CI fails when either stops being a valid
// OpenAPI 3.1 / AsyncAPI 3.0 document (run by ./test.sh; `npm ci && node validate.js` by hand).
// Every diagnostic is printed; warnings are shown but only errors fail the run.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

import SwaggerParser from '@apidevtools/swagger-parser';
import { Parser, fromFile } from '@asyncapi/parser';

const docs = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let failed = false;

async function openapi(file) {
    // validate() parses, resolves every $ref and checks the document against the OpenAPI 3.1 schema.
    try {
        const api = await SwaggerParser.validate(file);
        console.log(`ok   ${path.relative(docs, file)}: OpenAPI ${api.openapi}, ${Object.keys(api.paths).length} paths`);
    } catch (e) {
        failed = true;
        console.error(`FAIL ${path.relative(docs, file)}: ${e.message}`);
    }
}

async function asyncapi(file) {
    const parser = new Parser();
    const { document, diagnostics } = await fromFile(parser, file).parse();
    // Spectral severities: 0 error, 1 warning, 2 info, 3 hint.
    for (const d of diagnostics) {
        const where = d.path && d.path.length ? ` at ${d.path.join('.')}` : '';
        console.log(`${d.severity === 0 ? 'FAIL' : 'note'} ${path.relative(docs, file)}${where}: ${d.message} (${d.code})`);
    }
    if (!document || diagnostics.some(d => d.severity === 0)) {
        failed = true;
        return;
    }
    console.log(`ok   ${path.relative(docs, file)}: AsyncAPI ${document.version()}, ${document.channels().length} channels, ${document.operations().length} operations`);
}

// `node validate.js [openapi.yaml asyncapi.yaml]`: the repository's documents unless others are named.
const [openapiFile, asyncapiFile] = process.argv.length > 3
    ? process.argv.slice(2, 4).map(f => path.resolve(f))
    : [path.join(docs, 'openapi.yaml'), path.join(docs, 'asyncapi.yaml')];
await readFile(openapiFile);   // a missing file fails here, with its name
await readFile(asyncapiFile);
await openapi(openapiFile);
await asyncapi(asyncapiFile);
process.exit(failed ? 1 : 0);
