export const privacy = {
  footer: {
    privacy: 'Données personnelles',
    accessibility: 'Accessibilité',
    myData: 'Télécharger mes données',
  },
  pages: {
    privacyTitle: 'Données personnelles',
    accessibilityTitle: 'Accessibilité',
    downloadTitle: 'Vos données',
    downloadText:
      'Vous pouvez télécharger à tout moment, dans un fichier JSON, l’ensemble des données que Conventio détient sur vous : votre fiche d’annuaire, vos inscriptions, vos conventions avec leurs avenants et leur historique, vos préférences et le journal des opérations qui vous concernent.',
    downloadLink: 'Télécharger mes données (JSON)',
  },
  settings: {
    title: 'Réglages de l’établissement',
    adminLink: 'Réglages de l’établissement',
    adminText: 'Durée de conservation et anonymisation, numéro de sécurité sociale, textes des pages « Données personnelles » et « Accessibilité ».',
    intro: 'Ces réglages valent pour tous les centres de gestion.',
    retentionLegend: 'Conservation des données',
    retentionYears: 'Durée de conservation après la fin du stage (en années)',
    retentionHint: 'Au-delà, les données personnelles des étudiants sont anonymisées ; les statistiques restent exactes. Entre {min} et {max} ans.',
    nirLegend: 'Numéro de sécurité sociale',
    collectNir: 'Demander le numéro de sécurité sociale aux étudiants',
    collectNirHint:
      'Désactivé par défaut : la collecte du NIR est encadrée (décret n° 2019-341). Activé, le numéro est facultatif, sa clé est vérifiée, et il n’apparaît masqué que dans les listes et les exports.',
    textsLegend: 'Textes des pages publiques',
    textsHint:
      'Une ligne vide sépare deux paragraphes ; « ## » en début de ligne fait un titre, « - » un élément de liste. Un champ vidé reprend le texte par défaut.',
    privacyNotice: 'Page « Données personnelles »',
    accessibilityStatement: 'Page « Accessibilité »',
    saved: 'Les réglages de l’établissement sont enregistrés.',
    errors: {
      version: 'Le formulaire est incomplet : rechargez la page.',
    },
  },
  anonymisation: {
    title: 'Anonymiser les données anciennes',
    sectionTitle: 'Anonymisation',
    cutoff: 'Stages terminés avant le {date} (durée de conservation : {years} ans)',
    pendingConventions: 'Conventions à anonymiser',
    pendingStudents: 'Fiches d’étudiants partis à anonymiser',
    nothingPending: 'Aucune donnée n’a dépassé la durée de conservation.',
    explanation:
      'L’anonymisation remplace, dans ces conventions, l’identité et les coordonnées de l’étudiant, son numéro de sécurité sociale et les textes écrits à son sujet (motifs de refus et d’avenant). L’établissement d’accueil, les dates, la durée, la gratification, la composante et l’étape sont conservés : les statistiques ne changent pas. Elle est définitive.',
    command: 'Pour la programmer chaque nuit : npm run anonymise (ou npm run anonymise -- --dry-run pour seulement compter).',
    start: 'Anonymiser…',
    confirm: 'Je confirme l’anonymisation définitive de ces données',
    submit: 'Anonymiser maintenant',
    back: 'Retour aux réglages',
    done: 'Anonymisation terminée : {conventions} convention(s) et {students} fiche(s) d’étudiant anonymisées.',
    errors: {
      confirm: 'Cochez la case pour confirmer l’anonymisation.',
    },
  },
  anonymised: {
    lastName: 'Anonymisé',
    firstName: 'Étudiant',
    text: 'Donnée anonymisée',
    notice: 'Les données personnelles de l’étudiant ont été anonymisées le {date}, à la fin de leur durée de conservation.',
  },
  nir: {
    label: 'Numéro de sécurité sociale',
    hint: 'Facultatif. 15 caractères, clé comprise, comme sur la carte Vitale (exemple : 1 85 05 78 006 084 36).',
    errors: {
      format: 'Numéro de sécurité sociale invalide : 13 caractères et une clé de 2 chiffres (2A ou 2B pour la Corse).',
      key: 'La clé du numéro de sécurité sociale ne correspond pas : vérifiez le numéro.',
    },
  },
  command: {
    usage: 'Usage : npm run anonymise [-- --dry-run]',
    dryRun: 'Simulation (rien n’est modifié) — stages terminés avant le {cutoff} : {conventions} convention(s) et {students} fiche(s) d’étudiant à anonymiser.',
    batch: '{count} {kind} anonymisé(e)s.',
    kinds: {
      conventions: 'convention(s)',
      students: 'fiche(s) d’étudiant',
    },
    done: 'Stages terminés avant le {cutoff} : {conventions} convention(s) et {students} fiche(s) d’étudiant anonymisées.',
  },
  defaults: {
    privacyNotice: `## Responsable du traitement
L’université traite, dans Conventio, les données personnelles nécessaires à la gestion des conventions de stage : préparation, signature, suivi, avenants, attestations de stage et statistiques de l’insertion professionnelle.

## Base légale
Le traitement relève de la mission d’intérêt public de l’université (article 6-1-e du RGPD) et des obligations des articles L124-1 et suivants et D124-1 et suivants du code de l’éducation.

## Données traitées
- identité, numéro d’étudiant, inscription (composante, étape, année universitaire) ;
- coordonnées saisies dans la convention, affiliation à la sécurité sociale ;
- le numéro de sécurité sociale, seulement si l’établissement a choisi de le demander ;
- stage : établissement d’accueil, tuteur, dates, durée, gratification, activités ;
- journal des opérations effectuées dans l’application.

## Destinataires
Les personnels des centres de gestion de votre composante, votre enseignant référent et, pour la convention elle-même, l’établissement d’accueil.

## Durée de conservation
Les données personnelles sont conservées pendant la durée fixée par l’établissement après la fin du stage, puis anonymisées : seules restent des données statistiques.

## Vos droits
Vous disposez d’un droit d’accès, de rectification, de limitation et d’opposition. Vous pouvez télécharger vos données depuis cette page une fois connecté. Pour exercer vos autres droits, adressez-vous au délégué à la protection des données de l’université. Vous pouvez aussi adresser une réclamation à la CNIL.`,
    accessibilityStatement: `## État de conformité
L’université s’engage à rendre ses services en ligne accessibles, conformément à l’article 47 de la loi n° 2005-102 du 11 février 2005. Conventio est partiellement conforme avec le référentiel général d’amélioration de l’accessibilité (RGAA), version 4.1, en raison des non-conformités et des dérogations énumérées ci-dessous.

## Contenus non accessibles
- les documents PDF générés (conventions, avenants, attestations) ne sont pas balisés ;
- les graphiques des statistiques ont un équivalent sous forme de tableau, mais pas de description détaillée.

## Établissement de cette déclaration
Cette déclaration a été établie à partir de tests automatisés (axe-core) et de vérifications manuelles sur les pages principales.

## Retour d’information et contact
Si vous n’arrivez pas à accéder à un contenu ou à un service, contactez le service des stages de votre composante pour être orienté vers une alternative accessible ou obtenir le contenu sous une autre forme.

## Voies de recours
Si vous constatez un défaut d’accessibilité vous empêchant d’accéder à un contenu et que vous n’avez pas obtenu de réponse satisfaisante, vous pouvez écrire au Défenseur des droits ou contacter son délégué dans votre région.`,
  },
};
