import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { MimeData } from '@lumino/coreutils';

import { CODE_DROP_CLASS, CodeDrop, IDropTerminal, codeForDrop } from '../dnd/code';
import { EOS_URIS_MIME, formatEosUris } from '../dnd/mime';

const USER = 'u-1234';
const shareable = (uri: string) => uri.replace('e://users/me/', `e://users/${USER}/`);

/** An `lm-*` event as Lumino's Drag dispatches it, carrying `uris` from the EOS tree. */
function dragEvent(type: string, uris: string[] | null, related: Element | null = null) {
  const mimeData = new MimeData();
  if (uris) {
    mimeData.setData(EOS_URIS_MIME, formatEosUris(uris));
  }
  mimeData.setData('text/plain', (uris ?? ['plain text']).join('\n'));
  const event = new Event(type, { bubbles: true, cancelable: true });
  return Object.assign(event, {
    mimeData,
    proposedAction: 'move',
    dropAction: 'none',
    clientX: 0,
    clientY: 0,
    relatedTarget: related
  });
}

function editor(doc: string, language: string | null, readOnly = false): EditorView {
  const parent = document.createElement('div');
  document.body.appendChild(parent);
  const extensions = [EditorState.readOnly.of(readOnly)];
  if (language) {
    extensions.push(EditorView.contentAttributes.of({ 'data-language': language }));
  }
  const view = new EditorView({ state: EditorState.create({ doc, extensions }), parent });
  view.dispatch({ selection: { anchor: doc.length } });
  return view;
}

describe('codeForDrop', () => {
  it('writes Python, plain URIs or shell words', () => {
    expect(codeForDrop('python', ['e://org/a.bam'])).toBe('File(path_e="e://org/a.bam")');
    expect(codeForDrop('text', ['e://org/a', 'e://org/b'])).toBe('e://org/a\ne://org/b');
    expect(codeForDrop('shell', ['e://org/a', "e://org/it's"])).toBe("e://org/a 'e://org/it'\\''s'");
  });
});

describe('CodeDrop', () => {
  let drop: CodeDrop;
  let typed: string[];
  let terminalNode: HTMLElement;

  beforeEach(() => {
    typed = [];
    terminalNode = document.createElement('div');
    terminalNode.className = 'jp-Terminal';
    terminalNode.appendChild(document.createElement('canvas'));
    document.body.appendChild(terminalNode);
    const terminal: IDropTerminal = { node: terminalNode, type: text => typed.push(text) };
    drop = new CodeDrop({ shareable, terminalAt: target => (terminalNode.contains(target) ? terminal : null) });
  });

  afterEach(() => {
    drop.dispose();
    document.body.innerHTML = '';
  });

  it('inserts File(...) of the shareable URI where the pointer is in a Python editor, the cursor after it', () => {
    const view = editor('x = \nprint(x)', 'python');
    // jsdom lays nothing out: the point under the pointer is given (Galata drops at real coordinates).
    const at = jest.spyOn(view, 'posAtCoords').mockReturnValue(4);
    const event = Object.assign(dragEvent('lm-drop', ['e://users/me/reads.bam']), { clientX: 40, clientY: 8 });
    view.contentDOM.dispatchEvent(event);
    expect(at).toHaveBeenCalledWith({ x: 40, y: 8 });
    const code = `File(path_e="e://users/${USER}/reads.bam")`;
    expect(view.state.doc.toString()).toBe(`x = ${code}\nprint(x)`);
    expect(view.state.selection.main.head).toBe(4 + code.length);
    expect(event.defaultPrevented).toBe(true);
    expect(event.dropAction).toBe('copy');
  });

  it('inserts a Python list for several items', () => {
    const view = editor('', 'python');
    view.contentDOM.dispatchEvent(dragEvent('lm-drop', ['e://org/a.vcf', 'e://gencove/ref/']));
    expect(view.state.doc.toString()).toBe(
      '[\n    File(path_e="e://org/a.vcf"),\n    File(path_e="e://gencove/ref/"),\n]'
    );
  });

  it('inserts the URIs themselves where the editor is not Python (a Markdown cell)', () => {
    const view = editor('See ', 'markdown');
    jest.spyOn(view, 'posAtCoords').mockReturnValue(null); // outside the text: at the cursor
    view.contentDOM.dispatchEvent(dragEvent('lm-drop', ['e://users/me/a.txt', 'e://org/b.txt']));
    expect(view.state.doc.toString()).toBe(`See e://users/${USER}/a.txt\ne://org/b.txt`);
  });

  it('leaves a read-only editor (an executed console cell) alone', () => {
    const view = editor('done', 'python', true);
    const event = dragEvent('lm-drop', ['e://org/a.vcf']);
    view.contentDOM.dispatchEvent(event);
    expect(view.state.doc.toString()).toBe('done');
    expect(event.defaultPrevented).toBe(false);
  });

  it('ignores drags that carry no EOS items (a notebook moving its own cells)', () => {
    const view = editor('', 'python');
    const event = dragEvent('lm-dragenter', null);
    view.contentDOM.dispatchEvent(event);
    view.contentDOM.dispatchEvent(dragEvent('lm-drop', null));
    expect(event.defaultPrevented).toBe(false);
    expect(view.state.doc.toString()).toBe('');
  });

  it('accepts the drag over an editor and marks it until the pointer leaves', () => {
    const view = editor('', 'python');
    const enter = dragEvent('lm-dragenter', ['e://org/a.vcf']);
    view.contentDOM.dispatchEvent(enter);
    expect(enter.defaultPrevented).toBe(true);
    expect(view.dom.classList).toContain(CODE_DROP_CLASS);
    view.contentDOM.dispatchEvent(dragEvent('lm-dragleave', ['e://org/a.vcf'], document.body));
    expect(view.dom.classList).not.toContain(CODE_DROP_CLASS);
  });

  it('types the quoted URIs, as they are, at a terminal', () => {
    terminalNode.firstElementChild!.dispatchEvent(dragEvent('lm-drop', ['e://users/me/my run/', 'e://org/a.bam']));
    expect(typed).toEqual(["'e://users/me/my run/' e://org/a.bam"]);
    expect(terminalNode.classList).not.toContain(CODE_DROP_CLASS);
  });
});
