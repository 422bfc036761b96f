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

  // Offer forms: show only the fields of the chosen form of the offer (full form, file or link);
  // without this script every fieldset shows and the server ignores those of the other forms.
  for (const form of document.querySelectorAll('form[data-offer-kind]')) {
    const sections = form.querySelectorAll('[data-kind]');
    const update = () => {
      const chosen = form.querySelector('input[name="kind"]:checked');
      for (const section of sections) section.hidden = chosen !== null && section.getAttribute('data-kind') !== chosen.value;
    };
    form.addEventListener('change', (event) => {
      if (event.target.name === 'kind') update();
    });
    update();
  }
});
