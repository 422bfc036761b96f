import type { Knex } from 'knex';
import { academicYearOf, type SwitchOver } from '../rules/academic-year.ts';
import { addMonths } from './dates.ts';

/**
 * The demo offers: three published — by Sciences to the whole institution, by Sciences to
 * Droit, and by the institution centre —, one saved and one filled, so that every demo login finds some.
 */
interface DemoOffer {
  centre: string;
  host: string;
  state: 'saved' | 'published' | 'filled';
  targets: string[];
  offer_type: string;
  contract?: string;
  title: string;
  missions: string;
  skills?: string;
  domain: string;
  town: string;
  postal_code: string;
}

const INSTITUTION = 'Université de démonstration';
const SCIENCES = 'UFR Sciences et techniques';
const DROIT = 'UFR Droit et économie';

const DEMO_OFFERS: DemoOffer[] = [
  {
    centre: SCIENCES,
    host: 'Logiciels Atlantique',
    state: 'published',
    targets: [INSTITUTION],
    offer_type: 'STAGE',
    title: 'Stage développement d’une application mobile',
    domain: 'Informatique',
    town: 'Nantes',
    postal_code: '44000',
    missions: 'Concevoir et développer une application mobile de suivi des livraisons ; écrire ses tests automatisés.',
    skills: 'TypeScript, React Native, tests',
  },
  {
    centre: SCIENCES,
    host: 'Laboratoire Océan Bleu',
    state: 'published',
    targets: [DROIT],
    offer_type: 'STAGE',
    title: 'Stage analyse de données océanographiques',
    domain: 'Sciences de l’environnement',
    town: 'Brest',
    postal_code: '29200',
    missions: 'Nettoyer et analyser des séries de mesures de température et de salinité ; présenter les résultats à l’équipe.',
    skills: 'Python, statistiques',
  },
  {
    centre: INSTITUTION,
    host: 'Mairie de Montreuil',
    state: 'published',
    targets: [],
    offer_type: 'EMPLOI',
    contract: 'CDD',
    title: 'Emploi étudiant : accueil du public au service urbanisme',
    domain: 'Administration',
    town: 'Montreuil',
    postal_code: '93100',
    missions: 'Accueillir et orienter le public, tenir à jour les dossiers de demandes de permis.',
  },
  {
    centre: SCIENCES,
    host: 'Logiciels Atlantique',
    state: 'saved',
    targets: [],
    offer_type: 'ALTERN',
    contract: 'CTAPPREN',
    title: 'Alternance développeur back-end',
    domain: 'Informatique',
    town: 'Nantes',
    postal_code: '44000',
    missions: 'Développer les services de l’application de gestion des tournées.',
    skills: 'Node.js, PostgreSQL',
  },
  {
    centre: DROIT,
    host: 'Cabinet Lefèvre Avocats',
    state: 'filled',
    targets: [],
    offer_type: 'STAGE',
    title: 'Stage assistant juridique',
    domain: 'Droit des affaires',
    town: 'Paris',
    postal_code: '75008',
    missions: 'Rechercher la jurisprudence et préparer des notes pour les avocats du cabinet.',
  },
];

export async function seedDemoOffers(trx: Knex.Transaction, today: string, switchOver: SwitchOver): Promise<void> {
  const centres = new Map((await trx('centre').select('id', 'name')).map((row: { id: number; name: string }) => [row.name, row.id]));
  for (const { centre, host: hostName, targets, ...offer } of DEMO_OFFERS) {
    const host = await trx('host').where({ name: hostName }).first('id');
    const contact = await trx('host_contact').where({ host_id: host.id }).orderBy('id').first('id');
    const [row] = await trx('offer')
      .insert({
        ...offer,
        centre_id: centres.get(centre),
        host_id: host.id,
        kind: 'form',
        paid: true,
        duration_value: offer.offer_type === 'EMPLOI' ? 3 : 6,
        duration_unit: 'MONTH',
        working_time: 'TCOMP',
        application_modes: ['MAIL'],
        application_contact_id: contact.id,
        published_on: offer.state === 'saved' ? null : today,
        published_until: offer.state === 'saved' ? null : addMonths(today, 3),
        academic_year: academicYearOf(today, switchOver),
        created_by: 'demo',
        updated_by: 'demo',
      })
      .returning('id');
    if (targets.length > 0) await trx('offer_target').insert(targets.map((target) => ({ offer_id: row.id, centre_id: centres.get(target) })));
  }
}
