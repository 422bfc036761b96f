export const documents = {
  errors: {
    printNotAllowed: 'Votre centre de gestion ne permet pas encore d’imprimer cette convention.',
    notValidated: 'L’attestation de stage n’est disponible que pour une convention validée.',
    unknownLanguage: 'Langue d’impression inconnue : choisissez fr, en, es, de ou it.',
  },
};
