export const reference = {
  legalRates: {
    title: 'Plafond horaire de la sécurité sociale',
    adminLink: 'Gratification minimale par année',
    adminText: 'Plafond horaire de la sécurité sociale de chaque année civile, dont découle la gratification minimale des stagiaires.',
    intro:
      'La gratification minimale d’un stage est de {rate} % du plafond horaire de la sécurité sociale de chaque année civile des heures effectuées (article L124-6 du code de l’éducation). Le plafond de l’année suivante est publié par arrêté en décembre : saisissez-le dès sa parution, faute de quoi les conventions qui comptent des heures de cette année-là signalent un minimum inconnu.',
    tableCaption: 'Plafonds et gratifications minimales enregistrés',
    year: 'Année civile',
    ceiling: 'Plafond horaire de la sécurité sociale',
    minimum: 'Gratification minimale horaire',
    none: 'Aucune année n’est enregistrée.',
    formLegend: 'Enregistrer le plafond d’une année',
    formHint: 'Une année déjà enregistrée est remplacée. La gratification minimale est calculée.',
    yearHint: 'Entre {min} et {max}.',
    ceilingHint: 'En euros, tel que fixé par l’arrêté (exemple : 30 ou 30,00).',
    save: 'Enregistrer',
    saved: 'Le plafond de {year} est enregistré : gratification minimale de {minimum} de l’heure.',
    errors: {
      amount: 'Un montant en euros est attendu, avec au plus deux décimales (exemple : 30,00).',
      amountRange: 'Le plafond horaire doit être compris entre 1 € et {max} €.',
    },
  },
};
