// Progressive enhancement only: every page works without this file.
document.addEventListener('DOMContentLoaded', () => {
  // Ask before irreversible actions (forms marked data-confirm).
  for (const form of document.querySelectorAll('form[data-confirm]')) {
    form.addEventListener('submit', (event) => {
      if (!window.confirm(form.getAttribute('data-confirm'))) event.preventDefault();
    });
  }

  // Bring the error summary into view and focus so that screen readers announce it.
  const summary = document.getElementById('error-summary');
  if (summary) summary.focus();

  // Preview an image before uploading it (centre logo).
  for (const input of document.querySelectorAll('input[type="file"][data-preview]')) {
    const preview = document.getElementById(input.getAttribute('data-preview'));
    input.addEventListener('change', () => {
      const [file] = input.files;
      if (!preview || !file || !file.type.startsWith('image/')) return;
      preview.src = URL.createObjectURL(file);
      preview.hidden = false;
    });
  }
});
