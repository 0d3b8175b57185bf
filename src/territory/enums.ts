import { registerEnumType } from 'type-graphql';

export enum SchoolType {
  NOSH = 'NOSH',
  OOSH = 'OOSH',
  SOSH = 'SOSH',
  LYCEUM = 'LYCEUM',
  GYMNASIUM = 'GYMNASIUM',
  OTHER = 'OTHER',
}

registerEnumType(SchoolType, {
  name: 'SchoolType',
  description: 'Тип общеобразовательной организации',
  valuesConfig: {
    NOSH: { description: 'Начальная общеобразовательная школа (НОШ)' },
    OOSH: { description: 'Основная общеобразовательная школа (ООШ)' },
    SOSH: { description: 'Средняя общеобразовательная школа (СОШ)' },
    LYCEUM: { description: 'Лицей' },
    GYMNASIUM: { description: 'Гимназия' },
    OTHER: { description: 'Иной тип (центр образования, школа-интернат и т. п.)' },
  },
});

/** Short Russian names of school types, as tables show them. */
export const SCHOOL_TYPE_SHORT_RU: Record<SchoolType, string> = {
  [SchoolType.NOSH]: 'НОШ',
  [SchoolType.OOSH]: 'ООШ',
  [SchoolType.SOSH]: 'СОШ',
  [SchoolType.LYCEUM]: 'лицей',
  [SchoolType.GYMNASIUM]: 'гимназия',
  [SchoolType.OTHER]: 'иное',
};

export enum AliasKind {
  FISOKO_LOGIN = 'FISOKO_LOGIN',
  RCOI_CODE = 'RCOI_CODE',
  INN = 'INN',
  OTHER = 'OTHER',
}

registerEnumType(AliasKind, {
  name: 'AliasKind',
  description: 'Вид кода ОО, по которому источники данных ссылаются на школу',
  valuesConfig: {
    FISOKO_LOGIN: { description: 'Логин ФИС ОКО (например, sch661234)' },
    RCOI_CODE: { description: 'Код ОО в РЦОИ' },
    INN: { description: 'ИНН' },
    OTHER: { description: 'Иной код' },
  },
});

/**
 * The territory a row of reference values describes. Beside the territories, so that the scope rules of src/auth
 * read it without importing src/assessments.
 */
export enum BenchmarkLevel {
  RUSSIA = 'RUSSIA',
  REGION = 'REGION',
  MUNICIPALITY = 'MUNICIPALITY',
}

registerEnumType(BenchmarkLevel, {
  name: 'BenchmarkLevel',
  description: 'Уровень эталонных значений',
  valuesConfig: {
    RUSSIA: { description: 'Российская Федерация' },
    REGION: { description: 'Регион' },
    MUNICIPALITY: { description: 'Муниципалитет' },
  },
});
