// What a learner would see go wrong in the open notebook, cell by cell: content wider
// than its cell (a table, a listing, an image, a line of code), a listing whose lines
// JupyterLab had to wrap, and a red stderr block. Run by tests/browser.py.
() => {
  const findings = [];
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const cells = [...panel.querySelectorAll('.jp-Notebook .jp-Cell')];
  const wider = (element, box) => {
    const rect = element.getBoundingClientRect();
    if (rect.width === 0) return 0;
    return Math.max(rect.right - box.right, element.scrollWidth - element.clientWidth);
  };
  const text = element => element.textContent.trim().replace(/\s+/g, ' ').slice(0, 60);
  cells.forEach((cell, index) => {
    const note = (element, problem) => findings.push({cell: index, element, problem});
    for (const area of cell.querySelectorAll('.jp-MarkdownOutput, .jp-OutputArea-output')) {
      const where = area.classList.contains('jp-MarkdownOutput') ? 'markdown' : 'output';
      const box = area.getBoundingClientRect();
      for (const element of area.querySelectorAll('table, pre, img, svg, p, li, code')) {
        if (element.tagName === 'CODE' && element.closest('pre')) continue;  // its pre counts
        const by = Math.round(wider(element, box));
        if (by > 1) note(`${element.tagName.toLowerCase()} in ${where}`, `${by}px wider than its cell: "${text(element)}"`);
      }
      const by = area.scrollWidth - area.clientWidth;
      if (by > 1) note(`the ${where} area`, `${by}px of content off to the right`);
      for (const pre of area.querySelectorAll('.jp-RenderedMarkdown pre')) {
        const style = getComputedStyle(pre);
        const lines = pre.textContent.replace(/\n$/, '').split('\n').length;
        const inner = pre.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
        const rows = Math.round(inner / parseFloat(style.lineHeight));
        if (rows > lines) note('a code listing', `${rows - lines} of its lines wrap: "${text(pre)}"`);
      }
      if (area.matches('[data-mime-type="application/vnd.jupyter.stderr"]')) {
        note('an output', `a red stderr block: "${text(area)}"`);
      }
    }
    const editor = cell.querySelector('.jp-CodeCell .jp-InputArea-editor .cm-scroller');
    const by = editor ? editor.scrollWidth - editor.clientWidth : 0;
    if (by > 1) note('the code', `${by}px of a line off to the right`);
  });
  return findings;
}
