// The web app's only script (served from /static, as the Content-Security-Policy requires):
// the copy button of the suggested answer, and "select all" in the exception queue.
document.addEventListener('click', (event) => {
  const button = event.target.closest('button[data-copy]');
  if (!button) return;
  const source = document.getElementById(button.dataset.copy);
  if (!source) return;
  const done = () => {
    button.textContent = 'Copied';
    setTimeout(() => (button.textContent = 'Copy'), 2000);
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(source.value).then(done, () => {
      source.select();
      document.execCommand('copy');
      done();
    });
  } else {
    source.select();
    document.execCommand('copy');
    done();
  }
});

document.addEventListener('change', (event) => {
  const all = event.target.closest('input.select-all');
  if (!all) return;
  for (const box of document.querySelectorAll(`input[type=checkbox][name="${all.dataset.select}"]`)) box.checked = all.checked;
});
