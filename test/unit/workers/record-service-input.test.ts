import { input } from '../../../src/workers/document.record-service';

describe('document.record-service variables', () => {
  const caseId = '6f1c3c1e-8d2a-4b7e-9f00-0a1b2c3d4e5f';

  it('takes a field left empty on the service form as absent, so the receipt falls back to the employer address', () => {
    const v = input.parse({ caseId, serviceAddress: '  ', serviceReceiver: '', serviceNote: '已送达' });
    expect(v.serviceAddress).toBeUndefined();
    expect(v.serviceReceiver).toBeUndefined();
    expect(v.serviceNote).toBe('已送达');
  });

  it('keeps a given address, trimmed', () => {
    expect(input.parse({ caseId, serviceAddress: ' 郑州市金水区花园路 88 号 ' }).serviceAddress).toBe('郑州市金水区花园路 88 号');
  });
});
