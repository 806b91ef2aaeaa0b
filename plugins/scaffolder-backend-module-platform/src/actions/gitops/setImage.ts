/**
 * Changes the image tag of one slot of one service in one environment, and
 * the live slot where asked, by editing the overlay's files in place: the
 * YAML is parsed to find the one scalar to change, and only that scalar's
 * characters are replaced in the original text, so comments, order, quoting
 * and blank lines stay exactly as they were.
 */
import { InputError } from '@backstage/errors';
import yaml, { isMap, isScalar, isSeq, Scalar } from 'yaml';
import { Slot, SLOT_LABEL, slotImage, SLOTS, yamlScalar } from './manifests';

/** A Docker tag: what registries accept. */
export const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** @public */
export type SetImageRequest = {
  name: string;
  environment: string;
  tag: string;
  /** Which slot gets the tag: the idle one (blue/green release), the live one, or a named one. */
  slot: Slot | 'idle' | 'live';
  /** Send traffic to that slot afterwards. */
  switchTraffic: boolean;
};

/** @public */
export type OverlayFiles = {
  kustomization: string;
  liveSlot?: string;
  compose?: string;
};

/** @public */
export type SetImageResult = {
  files: OverlayFiles;
  changed: Array<keyof OverlayFiles>;
  slot: Slot;
  previousTag: string;
  previousLiveSlot: Slot;
  liveSlot: Slot;
};

function splice(text: string, node: Scalar, value: string): string {
  const [start, end] = node.range!;
  return text.slice(0, start) + value + text.slice(end);
}

/** The tag as a YAML scalar that reads back as the same string. */
const scalarText = yamlScalar;

function parse(text: string, file: string) {
  const document = yaml.parseDocument(text);
  if (document.errors.length) {
    throw new InputError(
      `${file} is not valid YAML: ${document.errors[0].message}`,
    );
  }
  return document;
}

function findSlotImages(text: string, name: string) {
  const document = parse(text, 'kustomization.yaml');
  const images = document.get('images');
  const bySlot = new Map<Slot, Scalar>();
  if (isSeq(images)) {
    for (const item of images.items) {
      if (!isMap(item)) continue;
      for (const slot of SLOTS) {
        if (item.get('name') === slotImage(name, slot)) {
          const tag = item.get('newTag', true);
          if (isScalar(tag)) bySlot.set(slot, tag);
        }
      }
    }
  }
  return bySlot;
}

function findLiveSlot(text: string) {
  const document = parse(text, 'live-slot.yaml');
  const node = document.getIn(['spec', 'selector', SLOT_LABEL], true);
  if (!isScalar(node) || !SLOTS.includes(node.value as Slot)) {
    throw new InputError(
      `live-slot.yaml has no spec.selector.${SLOT_LABEL} of blue or green`,
    );
  }
  return node;
}

/**
 * Applies the request to the overlay's files. Throws an `InputError` naming
 * what is missing when the overlay does not have the service's slots.
 */
export function setImage(
  files: OverlayFiles,
  request: SetImageRequest,
): SetImageResult {
  if (!IMAGE_TAG.test(request.tag)) {
    throw new InputError(
      `tag must be a Docker tag (letters, digits, _ . -, at most 128), got ${JSON.stringify(
        request.tag,
      )}`,
    );
  }
  const images = findSlotImages(files.kustomization, request.name);
  for (const slot of SLOTS) {
    if (!images.has(slot)) {
      throw new InputError(
        `kustomization.yaml of ${request.name} in ${
          request.environment
        } has no images entry named ${slotImage(
          request.name,
          slot,
        )} with a newTag`,
      );
    }
  }
  const liveNode = files.liveSlot ? findLiveSlot(files.liveSlot) : undefined;
  const previousLiveSlot = (liveNode?.value as Slot | undefined) ?? 'blue';
  const idle: Slot = previousLiveSlot === 'blue' ? 'green' : 'blue';
  let slot: Slot;
  if (request.slot === 'idle') slot = idle;
  else if (request.slot === 'live') slot = previousLiveSlot;
  else slot = request.slot;

  const result: OverlayFiles = { ...files };
  const changed: Array<keyof OverlayFiles> = [];
  const tagNode = images.get(slot)!;
  const previousTag = String(tagNode.value);
  if (previousTag !== request.tag) {
    result.kustomization = splice(
      files.kustomization,
      tagNode,
      scalarText(request.tag),
    );
    changed.push('kustomization');
  }

  const liveSlot = request.switchTraffic ? slot : previousLiveSlot;
  if (liveSlot !== previousLiveSlot) {
    if (!liveNode || !files.liveSlot) {
      throw new InputError(
        `switchTraffic: ${request.name} in ${request.environment} has no live-slot.yaml to switch`,
      );
    }
    result.liveSlot = splice(files.liveSlot, liveNode, liveSlot);
    changed.push('liveSlot');
  }

  // Compose runs the live slot's image only.
  if (files.compose) {
    const liveTag =
      liveSlot === slot ? request.tag : String(images.get(liveSlot)!.value);
    result.compose = updateCompose(
      files.compose,
      request.name,
      liveTag,
      liveSlot,
    );
    if (result.compose !== files.compose) changed.push('compose');
  }

  return {
    files: result,
    changed,
    slot,
    previousTag,
    previousLiveSlot,
    liveSlot,
  };
}

function updateCompose(
  text: string,
  name: string,
  tag: string,
  liveSlot: Slot,
): string {
  const document = parse(text, 'compose.yml');
  const image = document.getIn(['services', name, 'image'], true);
  if (!isScalar(image) || typeof image.value !== 'string') {
    throw new InputError(`compose.yml has no services.${name}.image`);
  }
  const label = document.getIn(['services', name, 'labels', SLOT_LABEL], true);
  const reference = image.value;
  const colon = reference.lastIndexOf(':');
  const repository =
    colon > reference.lastIndexOf('/') ? reference.slice(0, colon) : reference;
  const edits: Array<[Scalar, string]> = [];
  if (reference !== `${repository}:${tag}`) {
    edits.push([image, scalarText(`${repository}:${tag}`)]);
  }
  if (isScalar(label) && label.value !== liveSlot) {
    edits.push([label, liveSlot]);
  }
  // From the end, so that earlier ranges stay valid.
  edits.sort((a, b) => b[0].range![0] - a[0].range![0]);
  return edits.reduce((acc, [node, value]) => splice(acc, node, value), text);
}
