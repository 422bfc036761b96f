/** CSV files for the import tests, written the way the university's systems export them. */
export const STUDENT_HEADER = [
  'student_number',
  'login',
  'last_name',
  'first_name',
  'birth_date',
  'email',
  'personal_email',
  'phone',
  'mobile_phone',
  'address',
  'postal_code',
  'town',
  'country',
  'academic_year',
  'faculty_code',
  'faculty_label',
  'step_code',
  'step_label',
];

export const PERSON_HEADER = ['login', 'last_name', 'first_name', 'email', 'phone', 'department'];

const camille = {
  student_number: '30000001',
  login: 'etu.lambert',
  last_name: 'Lambert',
  first_name: 'Camille',
  birth_date: '14/07/2004',
  email: 'camille.lambert@etu.univ-demo.fr',
  personal_email: 'camille@example.org',
  phone: '01 23 45 67 89',
  mobile_phone: '06 12 34 56 78',
  address: '3 rue de la Paix; bâtiment B',
  postal_code: '75002',
  town: 'Paris',
  country: 'FRANCE',
  academic_year: '2030-2031',
  faculty_code: 'SCI',
  faculty_label: 'UFR Sciences et techniques',
  step_code: 'L3INFO',
  step_label: 'Licence 3 Informatique',
};

/** Camille enrolled in two steps (two lines), Jules in a new faculty, and Léa of the demo data with a new mobile phone. */
export const validStudents: Record<string, string>[] = [
  camille,
  { ...camille, step_code: 'M1MATH', step_label: 'Master 1 Mathématiques' },
  {
    student_number: '30000002',
    login: 'etu.roux',
    last_name: 'Roux',
    first_name: 'Jules',
    birth_date: '2003-02-28',
    email: '',
    personal_email: '',
    phone: '',
    mobile_phone: '',
    address: '',
    postal_code: '',
    town: '',
    country: '',
    academic_year: '2030-2031',
    faculty_code: 'LET',
    faculty_label: 'UFR Lettres',
    step_code: 'L1LET',
    step_label: 'Licence 1 Lettres',
  },
  {
    ...camille,
    student_number: '22100001',
    login: 'etu.sciences1',
    last_name: 'Moreau',
    first_name: 'Léa',
    birth_date: '2003-04-12',
    email: 'lea.moreau@etu.univ-demo.fr',
    personal_email: '',
    phone: '01 23 45 67 89',
    mobile_phone: '07 00 00 00 01',
    address: '10 rue des Écoles',
    postal_code: '75005',
    town: 'Paris',
    country: 'FRANCE',
  },
];

const quoted = (value: string) => (/[;,"\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

export function csv(header: readonly string[], rows: readonly Record<string, string>[], delimiter = ';'): string {
  return [header.join(delimiter), ...rows.map((row) => header.map((column) => quoted(row[column] ?? '')).join(delimiter))].join('\r\n') + '\r\n';
}

export const teachersCsv = csv(PERSON_HEADER, [
  { login: 'prof.martin', last_name: 'Martin', first_name: 'Jeanne', email: 'jeanne.martin@univ-demo.fr', phone: '01 40 00 11 11', department: 'Informatique' },
  { login: 'prof.leroy', last_name: 'Leroy', first_name: 'Marc', email: 'marc.leroy@univ-demo.fr', phone: '', department: 'Mathématiques' },
]);

export const staffCsv = csv(PERSON_HEADER, [
  {
    login: 'gest.lettres',
    last_name: 'Fontaine',
    first_name: 'Anne',
    email: 'anne.fontaine@univ-demo.fr',
    phone: '01 40 00 50 00',
    department: 'Scolarité Lettres',
  },
]);
