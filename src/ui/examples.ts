/** The README's example queries, preloaded as tabs of the IDE. */
export const EXAMPLE_QUERIES: { title: string; query: string; variables?: Record<string, unknown> }[] = [
  {
    title: 'Регионы и муниципалитеты',
    query: `{
  regions { code name municipalities { edges { node { code name schools(first: 5) { totalCount edges { node { name } } } } } } }
}`,
  },
  {
    title: 'Паспорт ОО',
    query: `query SchoolCard($code: String!) {
  school(code: $code) {
    name type urban
    municipality { name }
    contexts(years: [2023, 2024, 2025]) { year enrolment smallSchool inDepthStudy shareDisabled socialIndex }
    results(filter: { years: [2023, 2024, 2025], procedure: VPR }) {
      year participants meanPercent markPercents { two five fourAndFive }
      assessment { grade subject { code } }
      benchmarks { level meanPercent }
    }
    riskZones { year objectivity lowResults explanationRu }
  }
}`,
  },
  {
    title: 'Рейтинг по зонам риска',
    query: `{
  riskRanking(filter: { year: 2025, minObjectivity: RISK }, first: 20) {
    totalCount
    edges { node { rank zone { objectivity lowResults explanationRu school { name municipality { name } } } } }
  }
}`,
  },
  {
    title: 'Просроченные мероприятия',
    query: `{ overdueMeasures { titleRu dueDate status responsible } }`,
  },
];
