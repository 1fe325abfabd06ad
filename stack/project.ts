// Which document and which props a command runs with, decided once for synth, the local stack, the harness
// and `gatehouse start` alike: the project file given (--config), or the one beside the document, or the
// working directory's; without any, the example props (stack/app-props.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError, problemAt } from '../openapi/model/problems';
import type { ApiModel } from '../openapi/model/types';
import { appProps, stackNameOf } from './app-props';
import { invokedFunctionNames } from './invoked-functions';
import { findProjectFile, loadProjectFile, PROJECT_FILE_NAMES, type ProjectFile } from './project-file';
import type { SecuredApiProps } from './props';

export interface ProjectChoice {
  /** The document's path. */
  spec: string;
  /** The project file, when there is one. */
  project?: ProjectFile;
}

export interface ProjectRequest {
  /** --spec, when given. */
  spec?: string;
  /** --config, when given. */
  config?: string;
  cwd?: string;
}

/** The document and project file a command runs with; an InputError when neither names a document. */
export function chooseProject(request: ProjectRequest): ProjectChoice {
  const cwd = request.cwd ?? process.cwd();
  const configFile =
    request.config ??
    (request.spec ? findProjectFile(path.resolve(cwd, request.spec)) : undefined) ??
    PROJECT_FILE_NAMES.map((name) => path.join(cwd, name)).find((candidate) => fs.existsSync(candidate));
  const project = configFile === undefined ? undefined : loadProjectFile(configFile, cwd);
  const spec = request.spec ?? project?.spec;
  if (spec === undefined)
    throw new InputError([
      problemAt(
        'spec-missing',
        project ? path.relative(cwd, project.file) || project.file : '--spec',
        '',
        project ? 'The project file names no document.' : 'No document given, and no project file found here.',
        project
          ? 'Add `spec: <path of the OpenAPI document>` to the project file, or pass --spec.'
          : `Pass --spec <document>, or write ${PROJECT_FILE_NAMES[0]} with \`spec: <document>\` here.`,
      ),
    ]);
  return { spec, project };
}

export interface ProjectProps {
  props: SecuredApiProps & { spec: ApiModel };
  stackName: string;
  /** The file the props came from, for problems; undefined for the example props. */
  propsFile?: string;
}

/** The props for a loaded document: the project file's, or the example's (only the functions it calls). */
export function propsFor(model: ApiModel, project: ProjectFile | undefined, env = process.env): ProjectProps {
  const stackName = project?.stackName ?? stackNameOf(model.title);
  if (project) return { props: { ...project.props, spec: model }, stackName, propsFile: project.file };
  const defaults = appProps(model.file, env);
  // appProps serves every example document; deploy only the functions this one calls.
  const called = new Set(invokedFunctionNames(model));
  const functions = Object.fromEntries(Object.entries(defaults.functions ?? {}).filter(([name]) => called.has(name)));
  return { props: { ...defaults, functions, spec: model }, stackName };
}

/**
 * What the local stack runs a document with: its props, and the project file's local-only settings (backends,
 * URL rewrites, hosts to forward to). One mapping for `gatehouse local` and `gatehouse start`.
 */
export function localStackInputs(model: ApiModel, project: ProjectFile | undefined, env = process.env) {
  return {
    ...propsFor(model, project, env),
    backends: project?.localBackends,
    urls: project?.localUrls,
    forward: project?.localForward,
    apiKeys: project?.localApiKeys,
  };
}
