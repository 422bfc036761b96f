/** E-mail notifications and the outbox page of the super-admins. */
export const notifications = {
  mail: {
    greeting: 'Bonjour,',
    details: 'Stage : {subject}\nOrganisme d’accueil : {host}\nPériode : du {start} au {end}',
    link: 'Consulter la convention : {url}',
    amendmentLink: 'Consulter l’avenant : {url}',
    signature: '—\nConventio, gestion des conventions de stage.\nCe message est envoyé automatiquement : merci de ne pas y répondre.',
    unknown: 'non renseigné',
    submitted: {
      subject: 'Convention n° {number} déposée par {student}',
      intro: 'La convention de stage n° {number} de {student} (centre de gestion : {centre}) vient d’être déposée par {actor}. Elle attend votre examen.',
    },
    changed_by_student: {
      subject: 'Convention n° {number} modifiée par {student}',
      intro:
        'La convention de stage n° {number} de {student} (centre de gestion : {centre}) vient d’être modifiée par l’étudiant. Merci de vérifier les changements.',
    },
    validated: {
      subject: 'Votre convention de stage n° {number} est validée',
      intro: 'Votre convention de stage n° {number} a été validée par le centre de gestion {centre}. Vous pouvez maintenant l’imprimer et la faire signer.',
    },
    refused: {
      subject: 'Votre convention de stage n° {number} a été refusée',
      intro: 'Votre convention de stage n° {number} a été refusée par le centre de gestion {centre}.',
      reason: 'Motif du refus : {reason}',
      noReason: 'Aucun motif n’a été indiqué : contactez votre centre de gestion.',
    },
    amendment_validated: {
      subject: 'Avenant n° {amendment} à la convention de stage n° {number} validé',
      intro:
        'L’avenant n° {amendment} à la convention de stage n° {number} de {student} a été validé par le centre de gestion {centre}. Ses valeurs s’appliquent désormais au stage.',
      reason: 'Motif de l’avenant : {reason}',
    },
  },
  outbox: {
    title: 'Courriels de notification',
    adminLink: 'Courriels de notification',
    adminText: 'Les notifications par courriel, leur destinataire et leur état d’envoi.',
    intro: 'Les 200 derniers courriels de notification, les plus récents en premier : destinataire, objet, état d’envoi et texte.',
    demoNotice: 'Mode démonstration : aucun message n’est envoyé, ils restent ici.',
    empty: 'Aucun message pour le moment.',
    caption: 'Messages',
    createdAt: 'Créé le',
    recipient: 'Destinataire',
    subject: 'Objet',
    status: 'État',
    text: 'Texte',
    showText: 'Afficher le texte',
    attempts: 'Essais : {attempts}',
    lastError: 'Dernière erreur : {error}',
    nextAttempt: 'Prochain essai : {at}',
    statuses: {
      queued: 'En attente',
      sent: 'Envoyé',
      failed: 'Échec',
    },
  },
};
