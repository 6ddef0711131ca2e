// Edits of a cheerio tree in linear time. cheerio's own are quadratic in the number of siblings:
// every query from the root compares each top-level node with all the others (domutils'
// removeSubsets), and .remove() splices elements out of their parent's list one at a time.
// A page of 250,000 short paragraphs took hours; a news page has at most a few hundred.
import type { CheerioAPI } from 'cheerio/slim';
import type { AnyNode, ChildNode, Element, ParentNode } from 'domhandler';

/** The name of the element that holds a page's top-level nodes; no cleaning selector matches it. */
export const PAGE_ELEMENT = 'tongwen-page';

/**
 * Moves the top-level nodes under one element, so that queries from the root start from one node.
 * Sibling order and links stay as they were; only their parent changes.
 */
export function gatherTopLevel($: CheerioAPI): Element {
  const root = $.root()[0]!;
  const page = $(`<${PAGE_ELEMENT}></${PAGE_ELEMENT}>`)[0] as Element;
  page.children = root.children;
  for (const child of page.children) child.parent = page;
  page.parent = root;
  page.prev = null;
  page.next = null;
  root.children = [page];
  return page;
}

/** Detaches every node in `nodes` from its parent, each parent's list rebuilt once. */
export function removeNodes(nodes: AnyNode[]): void {
  const byParent = new Map<ParentNode, Set<AnyNode>>();
  for (const node of nodes) {
    if (!node.parent) continue;
    let gone = byParent.get(node.parent);
    if (!gone) {
      gone = new Set();
      byParent.set(node.parent, gone);
    }
    gone.add(node);
  }
  for (const [parent, gone] of byParent) {
    const kept: ChildNode[] = parent.children.filter((c) => !gone.has(c));
    kept.forEach((c, i) => {
      c.prev = kept[i - 1] ?? null;
      c.next = kept[i + 1] ?? null;
    });
    parent.children = kept;
    for (const node of gone) {
      node.parent = null;
      node.prev = null;
      node.next = null;
    }
  }
}
