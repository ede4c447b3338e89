// Entity resolution's normalisation (api/store/resolution-keys.ts): names, Arabic variants, observables.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { observableQueries } from '../../api/store/resolution-scoped.js';
import { digitsOf, fuzzyBlocks, observableKey, resolveKey, similarity } from '../../api/store/resolution-keys.js';

describe('resolution keys', () => {
  it('folds case, punctuation, accents and Arabic letter variants', () => {
    assert.equal(resolveKey('Charming-Kitten'), resolveKey('charming kitten'));
    assert.equal(resolveKey('Curaçao'), 'curacao');
    assert.equal(resolveKey('إيران'), resolveKey('ايران'));
    assert.equal(resolveKey('آيران'), resolveKey('ايران'));
    assert.equal(resolveKey('مدرسة'), resolveKey('مدرسه'));
    assert.equal(resolveKey('مصطفى'), resolveKey('مصطفي'));
    assert.equal(resolveKey('إيـــران'), resolveKey('إيران'), 'tatweel dropped');
    assert.notEqual(resolveKey('إيران'), resolveKey('Iran'), 'scripts meet through aliases, not transliteration');
  });

  it('normalises observables, defanged or not', () => {
    assert.equal(observableKey('jgtm[.]org'), 'domain:jgtm.org');
    assert.equal(observableKey('JGTM.org.'), 'domain:jgtm.org');
    assert.equal(observableKey('hxxps://www.jgtm[.]org/'), 'domain:jgtm.org');
    assert.equal(observableKey('https://jgtm.org/a/b/'), 'url:jgtm.org/a/b');
    assert.equal(observableKey('1[.]2[.]3[.]4'), 'ip:1.2.3.4');
    assert.equal(observableKey('Info[at]Example[.]com'), 'email:info@example.com');
    assert.equal(observableKey('@Proud_Boys'), 'handle:proud_boys');
    assert.equal(observableKey('Charming Kitten'), null);
    assert.equal(observableKey(''), null);
    assert.notEqual(observableKey('jgtm.org'), observableKey('jgtm.net'));
  });

  it('blocks and compares names', () => {
    assert.deepEqual(fuzzyBlocks('charming kitten').sort(), ['p:char', 'w:charming', 'w:kitten']);
    assert.deepEqual(fuzzyBlocks('the group').filter((b) => b.startsWith('w:')), [], 'stop words make no word block');
    assert.deepEqual(fuzzyBlocks('ab'), [], 'short keys make no block');
    assert.notEqual(digitsOf('apt33'), digitsOf('apt34'));
    assert.ok(similarity('charming kiten', 'charming kitten') > 0.95);
    assert.ok(similarity('charming kitten', 'phosphorus') < 0.6);
  });
  it('import --resolve looks an observable up however it was written (the texts sent to entity_observables)', () => {
    assert.deepEqual(observableQueries('domain:jgtm.org').sort(), ['jgtm org', 'jgtm.org', 'www.jgtm.org']);
    assert.deepEqual(observableQueries('url:jgtm.org/a/b').sort(), ['jgtm org', 'jgtm.org', 'www.jgtm.org'], 'a URL by its host; the pairing compares the whole URL');
    assert.deepEqual(observableQueries('ip:1.2.3.4').sort(), ['1 2 3 4', '1.2.3.4']);
    assert.deepEqual(observableQueries('email:info@example.com').sort(), ['info at example com', 'info example com', 'info@example.com']);
    assert.deepEqual(observableQueries('handle:proud_boys').sort(), ['proud boys', 'proud_boys']);
  });
});
