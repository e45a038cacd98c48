import { loadPublication } from './publication.ts';

/** One page per AVV version, at /avv/<version>/. */
export async function avvVersionPaths() {
  const { avvVersions } = await loadPublication();
  return avvVersions.map((version) => ({ params: { version: version.data.version }, props: { version } }));
}

/** One comparison per ordered pair of versions (older → newer), at /avv/compare/<from>/<to>/. */
export async function avvComparePaths() {
  const { avvVersions } = await loadPublication();
  return avvVersions.flatMap((older, index) =>
    avvVersions.slice(index + 1).map((newer) => ({ params: { from: older.data.version, to: newer.data.version }, props: { older, newer } })),
  );
}

/** One page per TOMs version, at /toms/<version>/, so every annex ever accepted stays readable. */
export async function tomVersionPaths() {
  const { tomVersions } = await loadPublication();
  return tomVersions.map((version) => ({ params: { version: version.data.version }, props: { version: version.data.version } }));
}

/** One page per subprocessor, current, announced or former, at /subprocessors/<slug>/. */
export async function subprocessorPaths() {
  const { subprocessors } = await loadPublication();
  return subprocessors.map((subprocessor) => ({ params: { slug: subprocessor.slug }, props: { subprocessor } }));
}

/** One page per announced change, at /changes/<id>/ (the id is the permanent file name). */
export async function changePaths() {
  const { changes } = await loadPublication();
  return changes.map((change) => ({ params: { id: change.id }, props: { change } }));
}

/** One file and one page per archived document state, at /avv/documents/<sha256>(.json|/). */
export async function documentStatePaths() {
  const { documentStates } = await loadPublication();
  return documentStates.map((state) => ({ params: { sha256: state.sha256 }, props: { state } }));
}
