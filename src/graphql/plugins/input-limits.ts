import {
  getNamedType,
  getNullableType,
  getOperationAST,
  GraphQLError,
  isInputObjectType,
  isListType,
  TypeInfo,
  typeFromAST,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
} from "graphql"
import type { Plugin } from "graphql-yoga"

export type InputLimits = {
  /** Longest string anywhere in the input. */
  maxStringLength: number
  /** Longest string inside a filter input: it is matched against many rows. */
  maxFilterLength: number
  /** Deepest nesting of a JSON value. */
  maxJsonDepth: number
}

/** Input types whose strings are compared with many rows (eq, in, contains). */
const FILTER_INPUTS = new Set(["StringFilter", "IDFilter"])

const isFilter = (type: GraphQLInputType | null | undefined) => !!type && FILTER_INPUTS.has(getNamedType(type).name)

function badInput(message: string, argument: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT", argument, http: { status: 400 } } })
}

function checkString(text: string, path: string, inFilter: boolean, limits: InputLimits): GraphQLError | null {
  const max = inFilter ? limits.maxFilterLength : limits.maxStringLength
  if (text.length <= max) return null
  const what = inFilter ? "a filter value" : "a string"
  return badInput(`"${path}" is ${text.length} characters long; at most ${max} are allowed for ${what}.`, path)
}

/**
 * A value of a scalar type that holds objects or arrays (JSON): walked
 * without recursion, so that no depth of input can overflow the stack.
 */
function checkJson(value: unknown, path: string, limits: InputLimits): GraphQLError | null {
  const stack: [unknown, number][] = [[value, 0]]
  while (stack.length) {
    const [node, depth] = stack.pop()!
    if (typeof node === "string") {
      const error = checkString(node, path, false, limits)
      if (error) return error
    } else if (node && typeof node === "object") {
      if (depth + 1 > limits.maxJsonDepth) {
        return badInput(`"${path}" nests deeper than ${limits.maxJsonDepth} levels.`, path)
      }
      for (const [key, child] of Object.entries(node)) {
        if (!Array.isArray(node)) stack.push([key, depth + 1])
        stack.push([child, depth + 1])
      }
    }
  }
  return null
}

/** A variable's value, walked along its declared type. */
function checkValue(
  value: unknown,
  type: GraphQLInputType,
  path: string,
  inFilter: boolean,
  limits: InputLimits
): GraphQLError | null {
  if (value == null) return null
  const nullable = getNullableType(type)
  if (isListType(nullable)) {
    if (!Array.isArray(value)) return checkValue(value, nullable.ofType, path, inFilter, limits)
    for (const item of value) {
      const error = checkValue(item, nullable.ofType, path, inFilter, limits)
      if (error) return error
    }
    return null
  }
  if (isInputObjectType(nullable)) {
    if (typeof value !== "object") return null
    const fields = nullable.getFields()
    const nested = inFilter || isFilter(nullable)
    for (const [name, child] of Object.entries(value as Record<string, unknown>)) {
      const field = fields[name]
      // Unknown fields fail coercion later; a long one must not get that far.
      const error = field
        ? checkValue(child, field.type, `${path}.${name}`, nested, limits)
        : checkJson(child, `${path}.${name}`, limits)
      if (error) return error
    }
    return null
  }
  if (typeof value === "string") return checkString(value, path, inFilter, limits)
  return checkJson(value, path, limits)
}

type DocumentCheck = { error: GraphQLError | null; filterVariables: Set<string> }

/**
 * Strings written in the document itself, with the argument they belong to,
 * and the variables used inside a filter (which get the filter's limit).
 */
function checkDocument(
  schema: GraphQLSchema,
  document: DocumentNode,
  limits: InputLimits
): DocumentCheck {
  const typeInfo = new TypeInfo(schema)
  const path: string[] = []
  const filters: boolean[] = []
  const filterVariables = new Set<string>()
  let error: GraphQLError | null = null
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Argument: { enter: (node) => void path.push(node.name.value), leave: () => void path.pop() },
      ObjectField: { enter: (node) => void path.push(node.name.value), leave: () => void path.pop() },
      ObjectValue: {
        enter: () => void filters.push(isFilter(typeInfo.getInputType())),
        leave: () => void filters.pop(),
      },
      Variable(node) {
        if (filters.includes(true)) filterVariables.add(node.name.value)
      },
      StringValue(node) {
        error ??= checkString(node.value, path.join(".") || "query", filters.includes(true), limits)
      },
    })
  )
  return { error, filterVariables }
}

/**
 * Refuses input that is longer or deeper than the limits before anything
 * runs: every string argument and variable (filters with a lower limit),
 * and every JSON value's depth, with BAD_USER_INPUT naming the argument.
 */
export function inputLimits(limits: InputLimits): Plugin {
  // What checkDocument found, per parsed document: Yoga hands the same one for the same text.
  const checkedDocuments = new WeakMap<DocumentNode, DocumentCheck>()
  const checkedDocument = (schema: GraphQLSchema, document: DocumentNode) => {
    let checked = checkedDocuments.get(document)
    if (!checked) {
      checked = checkDocument(schema, document, limits)
      checkedDocuments.set(document, checked)
    }
    return checked
  }
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const operation = getOperationAST(args.document, args.operationName)
      if (!operation) return
      const variables = (args.variableValues ?? {}) as Record<string, unknown>
      const { error: inDocument, filterVariables } = checkedDocument(args.schema, args.document)
      let error = inDocument
      for (const definition of operation.variableDefinitions ?? []) {
        if (error) break
        const type = typeFromAST(args.schema, definition.type as any) as GraphQLInputType | undefined
        const name = definition.variable.name.value
        if (type) error = checkValue(variables[name], type, `$${name}`, filterVariables.has(name), limits)
      }
      if (error) setResultAndStopExecution({ errors: [error] })
    },
  }
}
