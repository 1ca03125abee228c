// The stelsel SPARQL editor: CodeMirror 6 with SPARQL highlighting, laid over a <textarea>.
// The page works without it (the textarea posts to /sparql); this only enhances the textarea.
import { EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter,
         drawSelection, placeholder } from "@codemirror/view";
import { EditorState } from "@codemirror/state";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { syntaxHighlighting, defaultHighlightStyle, bracketMatching, indentOnInput } from "@codemirror/language";
import { closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { searchKeymap, highlightSelectionMatches } from "@codemirror/search";
import { sparql } from "codemirror-lang-sparql";

export function enhance(textarea) {
  const labelIds = textarea.getAttribute("aria-labelledby") ||
    (textarea.labels && textarea.labels[0] && textarea.labels[0].id) || null;
  const attrs = { "aria-multiline": "true", role: "textbox" };
  if (labelIds) attrs["aria-labelledby"] = labelIds;
  else attrs["aria-label"] = textarea.getAttribute("aria-label") || "SPARQL";
  const describedBy = textarea.getAttribute("aria-describedby");
  if (describedBy) attrs["aria-describedby"] = describedBy;
  const view = new EditorView({
    state: EditorState.create({
      doc: textarea.value,
      extensions: [
        lineNumbers(), highlightActiveLineGutter(), history(), drawSelection(),
        indentOnInput(), bracketMatching(), closeBrackets(), highlightActiveLine(),
        highlightSelectionMatches(), syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        // Tab indents only after Escape is not pressed: CodeMirror's indentWithTab lets Escape
        // then Tab leave the editor, so keyboard users are never trapped
        keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...historyKeymap, indentWithTab]),
        sparql(),
        placeholder(textarea.getAttribute("placeholder") || ""),
        EditorView.contentAttributes.of(attrs),
        EditorView.updateListener.of((u) => { if (u.docChanged) textarea.value = u.state.doc.toString(); }),
      ],
    }),
  });
  view.dom.classList.add("sparql-editor");
  textarea.parentNode.insertBefore(view.dom, textarea.nextSibling);
  textarea.hidden = true;
  if (labelIds) {
    // clicking the label focuses the editor, as it did the textarea
    for (const id of labelIds.split(/\s+/)) {
      const label = document.getElementById(id);
      if (label) label.addEventListener("click", () => view.focus());
    }
  }
  if (textarea.form) textarea.form.addEventListener("submit", () => { textarea.value = view.state.doc.toString(); });
  return {
    view,
    setValue(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
      textarea.value = text;
    },
  };
}
