import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkIdNumber, checkPhone, idNumberCheckDigit, idNumberFacts, maskIdNumber, maskName, maskPhone } from './pii.js';

describe('ID numbers (GB 11643)', () => {
  it('computes the check digit, including X', () => {
    // Published example from the standard: 11010519491231002X
    assert.equal(idNumberCheckDigit('11010519491231002'), 'X');
    assert.equal(checkIdNumber('11010519491231002X'), null);
    assert.equal(checkIdNumber('11010519491231002x'), null);
  });
  it('names what is wrong', () => {
    assert.equal(checkIdNumber('110105194912310021'), 'check_digit');
    assert.equal(checkIdNumber('11010519491331002X'), 'birth_date');
    assert.equal(checkIdNumber('11010519490230002X'.slice(0, 17) + idNumberCheckDigit('11010519490230002')), 'birth_date');
    assert.equal(checkIdNumber('1101051949123100'), 'format');
    assert.equal(checkIdNumber('01010519491231002X'), 'format');
  });
  it('reads birth date and gender', () => {
    assert.deepEqual(idNumberFacts('11010519491231002X'), { birthDate: '1949-12-31', gender: 'female' });
  });
});

describe('phones and masking', () => {
  it('accepts mobiles and landlines, rejects the rest', () => {
    assert.ok(checkPhone('13812341234'));
    assert.ok(checkPhone('+86 138 1234 1234'));
    assert.ok(checkPhone('0512-65123456'));
    assert.ok(!checkPhone('12812341234'));
    assert.ok(!checkPhone('1381234123'));
  });
  it('masks as design.md §5 says', () => {
    assert.equal(maskPhone('13812341234'), '138****1234');
    assert.equal(maskIdNumber('11010519491231002X'), '1101**********002X');
    assert.equal(maskName('刘香梅'), '刘**');
    assert.equal(maskName('欧阳明月'), '欧阳**');
  });
});
