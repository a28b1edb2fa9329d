import { jsonPath, jsonType, schemaExceptionMessage, validateBody } from '../../src/simulator/validation';

describe('request validation with networknt-style messages (NOTES §8.4)', () => {
  test('missing jobschedulerId, as JOC words it', () => {
    const errors = validateBody('orders', {});
    expect(errors).toEqual(['$.jobschedulerId: is missing but it is required']);
    expect(schemaExceptionMessage(errors)).toBe(
      'com.sos.schema.exception.SOSJsonSchemaException: [$.jobschedulerId: is missing but it is required]',
    );
  });

  test('wrong types name the found and the expected type', () => {
    expect(validateBody('orders', { jobschedulerId: 's', compact: 'yes' })).toEqual(['$.compact: string found, boolean expected']);
    expect(validateBody('jobs', { jobschedulerId: 4 })).toEqual(['$.jobschedulerId: integer found, string expected']);
    expect(validateBody('job_chains', { jobschedulerId: 's', maxOrders: 1.5 })).toEqual(['$.maxOrders: number found, integer expected']);
    expect(validateBody('orders', { jobschedulerId: 's', orders: {} })).toEqual(['$.orders: object found, array expected']);
    expect(validateBody('jobs/overview/snapshot', [])).toEqual(['$: array found, object expected']);
    expect(validateBody('jobscheduler/cluster/members', null)).toEqual(['$: null found, object expected']);
  });

  test('enum values are listed in brackets', () => {
    expect(validateBody('orders', { jobschedulerId: 's', processingStates: ['PENDING', 'pending'] })).toEqual([
      '$.processingStates[1]: does not have a value in the enumeration [PENDING, RUNNING, SUSPENDED, SETBACK, BLACKLIST, WAITINGFORRESOURCE]',
    ]);
    expect(validateBody('jobs', { jobschedulerId: 's', states: ['QUEUED', 'ERROR'] })).toEqual([
      '$.states[1]: does not have a value in the enumeration [PENDING, RUNNING, WAITINGFORRESOURCE, QUEUED, STOPPED]',
    ]);
  });

  test('patterns, lengths and minimums', () => {
    const [slash] = validateBody('orders', { jobschedulerId: 'a/b' });
    expect(slash).toMatch(/^\$\.jobschedulerId: does not match the regex pattern \^/);
    expect(validateBody('orders', { jobschedulerId: 'x'.repeat(101) })).toEqual(['$.jobschedulerId: may only be 100 characters long']);
    expect(validateBody('orders', { jobschedulerId: 's', orders: [{ jobChain: 'relative/path' }] })[0])
      .toMatch(/^\$\.orders\[0\]\.jobChain: does not match the regex pattern /);
    expect(validateBody('job_chains', { jobschedulerId: 's', maxOrders: -1 })).toEqual(['$.maxOrders: must have a minimum value of 0']);
    expect(validateBody('orders', { jobschedulerId: 's', regex: '<script>alert(1)</script>' })).toHaveLength(1);
    expect(validateBody('orders', { jobschedulerId: 's', dateFrom: '24h' })).toEqual([]);
    expect(validateBody('orders', { jobschedulerId: 's', dateFrom: 'yesterday' })).toHaveLength(1);
  });

  test('several errors are all reported, nested paths included', () => {
    const errors = validateBody('orders', { jobschedulerId: true, orders: [{ orderId: 'x' }], folders: [{ folder: '/a', recursive: 1 }] });
    expect(errors).toEqual(expect.arrayContaining([
      '$.jobschedulerId: boolean found, string expected',
      '$.orders[0].jobChain: is missing but it is required',
      '$.folders[0].recursive: integer found, boolean expected',
    ]));
    expect(errors).toHaveLength(3);
    expect(schemaExceptionMessage(errors)).toBe(`com.sos.schema.exception.SOSJsonSchemaException: [${errors.join(', ')}]`);
  });

  test('extra fields are tolerated and the optional-id schemas accept {}', () => {
    expect(validateBody('orders', { jobschedulerId: 's', somethingElse: [1, 2] })).toEqual([]);
    expect(validateBody('jobs/overview/snapshot', {})).toEqual([]);
    expect(validateBody('jobscheduler/cluster/members', { jobschedulerId: '' })).toEqual([]);
    expect(validateBody('jobscheduler/cluster/members', { jobschedulerId: 'a<b' })).toHaveLength(1);
  });

  test('jsonPath and jsonType', () => {
    expect(jsonPath('')).toBe('$');
    expect(jsonPath('/orders/0/jobChain')).toBe('$.orders[0].jobChain');
    expect(jsonPath('/a~1b/c~0d')).toBe('$.a/b.c~d');
    expect([null, [], {}, 1, 1.5, 'x', true].map(jsonType)).toEqual(['null', 'array', 'object', 'integer', 'number', 'string', 'boolean']);
  });
});
