// node jsonschema_check.js SCHEMA CASES
// Validates each case of CASES (a JSON array of [event name, properties])
// with ajv, strict mode, against the schema of its event in SCHEMA (the
// document codegen(..., 'jsonschema') generates: definitions keyed by the
// event's identifier, its name as title).  Prints a JSON array of booleans.
'use strict'
const fs = require('fs')
const Ajv = require('ajv')

const [schemaFile, casesFile] = process.argv.slice(2)
const doc = JSON.parse(fs.readFileSync(schemaFile, 'utf8'))
const ajv = new Ajv({ strict: true })
ajv.addSchema(doc, 'events')
const byName = {}
for (const [ident, schema] of Object.entries(doc.definitions || {})) {
    if (typeof schema.title === 'string') {
        byName[schema.title] = ident
    }
}
const validators = {}
const cases = JSON.parse(fs.readFileSync(casesFile, 'utf8'))
const verdicts = cases.map(([event, properties]) => {
    const ident = byName[event]
    if (ident === undefined) {
        throw new Error(`no schema for event ${JSON.stringify(event)}`)
    }
    if (!validators[ident]) {
        validators[ident] = ajv.getSchema(`events#/definitions/${ident}`)
    }
    return validators[ident](properties)
})
process.stdout.write(JSON.stringify(verdicts))
